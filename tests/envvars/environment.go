//go:build e2e

package envvars

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// envReadBound is how long reading a pod's environment may take. A read
// that fails, prints nothing or prints no JSON is the exec stream failing
// (the API server-kubelet channel of a busy machine), not the cluster's
// answer: it is tried again within the bound and, if it never succeeds,
// reported as a probe failure, never read as "no variables".
const envReadBound = time.Minute

// environment returns the environment p's container started with (the
// image has no shell: `/probe env` prints it as JSON).
func environment(ctx context.Context, p kube.Prober) (map[string]string, error) {
	var env map[string]string
	err := kube.WaitFor(ctx, fmt.Sprintf("the environment of pod %s/%s read", p.NS, p.Pod), envReadBound, func(ctx context.Context) (kube.Observation, error) {
		out, err := p.C.Exec(ctx, p.NS, p.Pod, p.Container, "/probe", "env")
		if err != nil {
			return kube.Observation{}, err
		}
		if strings.TrimSpace(out) == "" {
			return kube.Observation{}, fmt.Errorf("exec /probe env in %s/%s printed nothing", p.NS, p.Pod)
		}
		got := map[string]string{}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			return kube.Observation{}, fmt.Errorf("exec /probe env in %s/%s printed no JSON environment (%v): %.200q", p.NS, p.Pod, err, out)
		}
		if len(got) == 0 {
			// A container always has PATH and HOSTNAME: an empty map is a broken read.
			return kube.Observation{}, fmt.Errorf("exec /probe env in %s/%s printed an empty environment", p.NS, p.Pod)
		}
		env = got
		return kube.Observation{Done: true}, nil
	})
	if err != nil {
		return nil, fmt.Errorf("probe failure (not the cluster's answer): %w", err)
	}
	return env, nil
}

// withPrefix lists the names in env that start with prefix, sorted.
func withPrefix(env map[string]string, prefix string) []string {
	var out []string
	for k := range env {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// started is when p's container started and how often it restarted: a
// container's environment is computed at each start, so an observation
// about "a running pod" holds only for a container that never restarted.
func started(ctx context.Context, p kube.Prober) (time.Time, int32, error) {
	pod, err := p.C.CoreV1().Pods(p.NS).Get(ctx, p.Pod, metav1.GetOptions{})
	if err != nil {
		return time.Time{}, 0, fmt.Errorf("get pod %s/%s: %w", p.NS, p.Pod, err)
	}
	for _, cs := range pod.Status.ContainerStatuses {
		if cs.Name == p.Container && cs.State.Running != nil {
			return cs.State.Running.StartedAt.Time, cs.RestartCount, nil
		}
	}
	return time.Time{}, 0, fmt.Errorf("pod %s/%s: container %s is not running", p.NS, p.Pod, p.Container)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
