//go:build e2e

package pod

import (
	"context"
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// restartBound is how long a restarted kind node may take to be Ready
// with every one of its pods running again in new containers.
const restartBound = 5 * time.Minute

// nodePod is one pod of a node before or after its restart.
type nodePod struct {
	NS, Name   string
	UID        types.UID
	IP         string
	HostNet    bool
	Containers string // its containers' IDs, sorted
	Required   bool   // a pod the claim or the world owns: it must come back
}

func (p nodePod) id() string { return p.NS + "/" + p.Name }

// nodePods lists the running, ready pods on node; those in owned
// namespaces are required to come back.
func nodePods(ctx context.Context, c *kube.Client, node string, owned ...string) ([]nodePod, error) {
	list, err := c.CoreV1().Pods("").List(ctx, metav1.ListOptions{FieldSelector: "spec.nodeName=" + node})
	if err != nil {
		return nil, err
	}
	mine := map[string]bool{}
	for _, ns := range owned {
		mine[ns] = true
	}
	var out []nodePod
	for i := range list.Items {
		p := &list.Items[i]
		if p.DeletionTimestamp != nil || !kube.PodReady(p) {
			continue
		}
		out = append(out, nodePod{NS: p.Namespace, Name: p.Name, UID: p.UID, IP: p.Status.PodIP, HostNet: p.Spec.HostNetwork,
			Containers: containerIDs(p), Required: mine[p.Namespace]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id() < out[j].id() })
	return out, nil
}

func containerIDs(p *corev1.Pod) string {
	var ids []string
	for _, s := range p.Status.ContainerStatuses {
		ids = append(ids, s.ContainerID)
	}
	sort.Strings(ids)
	return strings.Join(ids, ",")
}

// shortIDs shortens "containerd://<64 hex>,..." to 12 hex digits each.
func shortIDs(ids string) string {
	var out []string
	for _, id := range strings.Split(ids, ",") {
		if _, hex, ok := strings.Cut(id, "://"); ok {
			id = hex
		}
		if len(id) > 12 {
			id = id[:12]
		}
		out = append(out, id)
	}
	return strings.Join(out, ",")
}

// dockerRestart restarts a kind node's container (named as the node) and
// returns when it started again (its State.StartedAt before and after).
// The node gets 2 s to stop before it is killed, as a machine that loses
// power or is reset would be: the claim is about what comes back, and
// docker's default 10 s of graceful shutdown would only lengthen the run.
func dockerRestart(ctx context.Context, node string) (before, after string, err error) {
	before, err = startedAt(ctx, node)
	if err != nil {
		return "", "", err
	}
	ctx2, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx2, "docker", "restart", "--time", "2", node).CombinedOutput(); err != nil {
		return before, "", fmt.Errorf("docker restart %s: %v: %s", node, err, strings.TrimSpace(string(out)))
	}
	after, err = startedAt(ctx, node)
	if err == nil && after == before {
		err = fmt.Errorf("docker restart %s returned, but the container's start time is still %s", node, before)
	}
	return before, after, err
}

func startedAt(ctx context.Context, node string) (string, error) {
	out, err := exec.CommandContext(ctx, "docker", "inspect", "-f", "{{.State.StartedAt}}", node).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("docker inspect %s: %v: %s", node, err, strings.TrimSpace(string(out)))
	}
	return strings.TrimSpace(string(out)), nil
}

// waitBack waits, through the API, until node is Ready and every pod of
// before runs again in new containers (the restarted kubelet made them
// anew), or, for a pod that is not required, is gone (its controller
// replaced it). It returns the pods as they came back, by id.
func waitBack(ctx context.Context, c *kube.Client, node string, before []nodePod) (map[string]nodePod, error) {
	back := map[string]nodePod{}
	err := kube.WaitFor(ctx, "node "+node+" Ready and its pods back in new containers", restartBound, func(ctx context.Context) (kube.Observation, error) {
		n, err := c.CoreV1().Nodes().Get(ctx, node, metav1.GetOptions{})
		if err != nil {
			return kube.Observation{}, err
		}
		var waiting []string
		if !kube.NodeReady(n) {
			waiting = append(waiting, "node not Ready")
		}
		for _, old := range before {
			p, err := c.CoreV1().Pods(old.NS).Get(ctx, old.Name, metav1.GetOptions{})
			switch {
			case apierrors.IsNotFound(err) || (err == nil && p.UID != old.UID):
				if old.Required {
					return kube.Observation{}, fmt.Errorf("pod %s was deleted during the restart", old.id())
				}
				continue
			case err != nil:
				return kube.Observation{}, err
			}
			now := nodePod{NS: p.Namespace, Name: p.Name, UID: p.UID, IP: p.Status.PodIP, HostNet: p.Spec.HostNetwork,
				Containers: containerIDs(p), Required: old.Required}
			if !kube.PodReady(p) || now.Containers == old.Containers || now.IP == "" {
				waiting = append(waiting, kube.DescribePod(p))
				continue
			}
			back[now.id()] = now
		}
		return kube.Observation{Done: len(waiting) == 0, Seen: strings.Join(waiting, "; ")}, nil
	})
	return back, err
}
