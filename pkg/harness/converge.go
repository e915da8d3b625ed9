package harness

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// convergeBound is how long the suite waits for a cluster to converge
// before its claims: a kept cluster whose nodes were just started takes a
// minute or two on 2 cores; past it the claims run anyway, with what had
// not converged in the report's header.
const convergeBound = 4 * time.Minute

// waitConverged waits, on every path (a cluster created, reused or given),
// until the cluster has converged: every node Ready, every DaemonSet and
// every kube-system Deployment rolled out with its pods ready, the API
// server reaching every node's kubelet (the path of every probe exec), and
// the kubernetes Service's endpoints present. It judges from the API and
// the node agents only, never from a data path a claim tests: CoreDNS
// scaled to 0 is converged, and it is the claims' job to find it broken.
// It returns what had not converged by the bound ("" when all had).
func waitConverged(ctx context.Context, c *kube.Client, log io.Writer) string {
	start := time.Now()
	lastShown := start
	var pending []string
	err := kube.WaitFor(ctx, "the cluster converged", convergeBound, func(ctx context.Context) (kube.Observation, error) {
		var err error
		pending, err = unconverged(ctx, c)
		if err != nil {
			pending = []string{"the API server: " + firstLine(err.Error())}
		}
		if len(pending) > 0 && time.Since(lastShown) >= 10*time.Second {
			lastShown = time.Now()
			fmt.Fprintf(log, "[cluster] converging (%s of %s): waiting on %s\n", time.Since(start).Round(time.Second), convergeBound, strings.Join(pending, ", "))
		}
		return kube.Observation{Done: len(pending) == 0, Seen: strings.Join(pending, ", ")}, nil
	})
	if err != nil {
		fmt.Fprintf(log, "[cluster] not converged after %s, running the claims anyway: %s\n", convergeBound, strings.Join(pending, ", "))
		return strings.Join(pending, ", ")
	}
	fmt.Fprintf(log, "[cluster] converged in %s: nodes Ready, system pods rolled out and ready, every kubelet answers\n", time.Since(start).Round(100*time.Millisecond))
	return ""
}

// unconverged lists what has not converged yet.
func unconverged(ctx context.Context, c *kube.Client) ([]string, error) {
	var out []string
	nodes, err := c.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	// A node the claims leave out (kube.OutOfRun: down, cordoned, ...) is
	// not waited for, nor are its DaemonSet pods: at most one per node.
	left := 0
	for _, n := range nodes.Items {
		if kube.OutOfRun(n, time.Now()) != "" {
			left++
			continue
		}
		switch {
		case !nodeReady(n):
			out = append(out, "node "+n.Name+" not Ready")
		case !kubeletAnswers(ctx, c, n.Name):
			out = append(out, "node "+n.Name+"'s kubelet not answering the API server")
		}
	}
	ds, err := c.AppsV1().DaemonSets("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	for _, d := range ds.Items {
		st := d.Status
		want := st.DesiredNumberScheduled - int32(left)
		if st.ObservedGeneration < d.Generation || st.UpdatedNumberScheduled < want || st.NumberReady < want {
			out = append(out, fmt.Sprintf("daemonset %s/%s %d/%d ready", d.Namespace, d.Name, st.NumberReady, st.DesiredNumberScheduled))
		}
	}
	deps, err := c.AppsV1().Deployments("kube-system").List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	for _, d := range deps.Items {
		want := int32(1)
		if d.Spec.Replicas != nil {
			want = *d.Spec.Replicas
		}
		st := d.Status
		if st.ObservedGeneration < d.Generation || st.UpdatedReplicas < want || st.ReadyReplicas < want || st.Replicas > want {
			out = append(out, fmt.Sprintf("deployment %s/%s %d/%d ready", d.Namespace, d.Name, st.ReadyReplicas, want))
		}
	}
	ips, err := kube.ReadyEndpointIPs(ctx, c, "default", "kubernetes")
	if err != nil || len(ips) == 0 {
		out = append(out, "the kubernetes Service has no ready endpoint")
	}
	slices.Sort(out)
	return out, nil
}

// kubeletAnswers reports whether the API server reaches node's kubelet:
// its /healthz through the node proxy, the way exec and logs go. A user
// not allowed nodes/proxy cannot tell, and is not held up.
func kubeletAnswers(ctx context.Context, c *kube.Client, node string) bool {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	body, err := c.CoreV1().RESTClient().Get().AbsPath("/api/v1/nodes", node, "proxy", "healthz").DoRaw(ctx)
	if apierrors.IsForbidden(err) {
		return true
	}
	return err == nil && strings.TrimSpace(string(body)) == "ok"
}
