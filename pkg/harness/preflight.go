package harness

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/version"
	"k8s.io/client-go/rest"
)

const (
	// preflightBudget bounds the whole preflight of an existing cluster:
	// bad input is reported in seconds, before any test waits minutes on it.
	// A healthy cluster needs 2-5 s, mostly one pod start per node.
	preflightBudget = 10 * time.Second
	// requestTimeout bounds each API request of the preflight; client-go
	// has none, so an unreachable server would hang the run.
	requestTimeout = 5 * time.Second
	// cleanupTimeout is kept apart from the budget: the preflight namespace
	// is deleted even when the checks used all of it.
	cleanupTimeout = 2 * time.Second
)

// probeTarget is what the image check needs to know about the probe image.
type probeTarget struct {
	Image    string // what the pods run
	LocalRef string // what `go run ./ci/test-image` builds and prints
	Repo     string // --image-repo ("" when loaded into the nodes)
}

// preflight checks, in this order, that the API server answers, that the
// kubeconfig's user may do what the suite does, and that the probe image
// runs on every schedulable node; it returns what it detected. It stops at
// the first problem with a message that says how to fix it, and deletes
// what it created.
func preflight(ctx context.Context, c *kube.Client, t target, img probeTarget, log io.Writer) (clusterFacts, error) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, preflightBudget)
	defer cancel()
	facts := clusterFacts{Target: t}
	var err error
	if facts.Version, err = checkReachable(ctx, c, t); err != nil {
		return facts, err
	}
	missing, err := checkAccess(ctx, c, suiteNeeds)
	if err != nil {
		return facts, fmt.Errorf("check the permissions of %s: %w", t, err)
	}
	if len(missing) > 0 {
		return facts, missingAccessError(t, selfUser(ctx, c), missing)
	}
	nodes, err := c.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return facts, fmt.Errorf("list nodes of %s: %w", t, err)
	}
	var schedulable []corev1.Node
	for _, n := range nodes.Items {
		if kube.WorkloadNode(n) {
			schedulable = append(schedulable, n)
		}
	}
	if len(schedulable) == 0 {
		return facts, fmt.Errorf("the cluster of %s has no schedulable node (%d nodes, all cordoned, down or tainted for a role; see [world] for why each is left out)", t, len(nodes.Items))
	}
	detected := make(chan clusterFacts, 1)
	go func() { detected <- detect(ctx, c, facts, nodes.Items) }() // beside the pod starts, not after them
	warning, imgErr := checkProbeImage(ctx, c, schedulable, img, kindClusterOf(nodes.Items))
	facts = <-detected
	if imgErr != nil {
		return facts, imgErr
	}
	image := fmt.Sprintf("probe image %s runs on %d schedulable node(s)", img.Image, len(schedulable))
	if warning != "" {
		fmt.Fprintf(log, "[preflight] warning: %s\n", warning)
		image = fmt.Sprintf("probe image %s not seen running on every node yet (see the warning)", img.Image)
	}
	fmt.Fprintf(log, "[preflight] %s: API server answers, permissions suffice, %s (%s)\n", t, image, time.Since(start).Round(10*time.Millisecond))
	return facts, nil
}

// checkReachable asks the API server for its version.
func checkReachable(ctx context.Context, c *kube.Client, t target) (string, error) {
	raw, err := c.Discovery().RESTClient().Get().AbsPath("/version").Do(ctx).Raw()
	if err != nil {
		return "", unreachableError(t, err)
	}
	var v version.Info
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", fmt.Errorf("%s: %s/version is not a Kubernetes API server: %w", t, t.Server, err)
	}
	return v.GitVersion, nil
}

func unreachableError(t target, err error) error {
	if apierrors.IsUnauthorized(err) {
		return fmt.Errorf("the API server %s rejected the credentials of %s (401 Unauthorized).\nRenew the token or client certificate in that kubeconfig (log in to the cluster again), or pick another context with --context (env NETCONFORM_CONTEXT)", t.Server, t)
	}
	why := err.Error()
	if errors.Is(err, context.DeadlineExceeded) {
		why = fmt.Sprintf("no answer within %s", requestTimeout)
	}
	return fmt.Errorf("cannot reach the Kubernetes API server %s (%s): %s.\nIs the cluster running, and its API server reachable from this machine? Check with `kubectl --kubeconfig %s --context %s cluster-info`, or point --kubeconfig/KUBECONFIG and --context/NETCONFORM_CONTEXT at another cluster",
		t.Server, t, why, t.Kubeconfig, t.Context)
}

// withRequestTimeout is cfg whose every request gives up after requestTimeout.
func withRequestTimeout(cfg *rest.Config) *rest.Config {
	cfg = rest.CopyConfig(cfg)
	cfg.Timeout = requestTimeout
	return cfg
}
