package kube

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Unconverged lists what has not converged yet, judged from the API and the
// node agents only, never from a data path a claim tests: every node in the
// run Ready with its kubelet reached by the API server, every DaemonSet and
// kube-system Deployment rolled out with its pods ready, CoreDNS's ready
// pods behind kube-dns, and the kubernetes Service's endpoints present.
func Unconverged(ctx context.Context, c *Client) ([]string, error) {
	var out []string
	nodes, err := c.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	// A node the claims leave out (OutOfRun: down, cordoned, ...) is
	// not waited for, nor are its DaemonSet pods: at most one per node.
	left := 0
	for _, n := range nodes.Items {
		if OutOfRun(n, time.Now()) != "" {
			left++
			continue
		}
		switch {
		case !NodeReady(&n):
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
		if d.Name == "coredns" {
			if ips, err := ReadyEndpointIPs(ctx, c, "kube-system", "kube-dns"); err == nil && len(ips) != int(want) {
				out = append(out, fmt.Sprintf("kube-dns has %d ready endpoints, CoreDNS %d replicas", len(ips), want))
			}
		}
	}
	ips, err := ReadyEndpointIPs(ctx, c, "default", "kubernetes")
	if err != nil || len(ips) == 0 {
		out = append(out, "the kubernetes Service has no ready endpoint")
	}
	slices.Sort(out)
	return out, nil
}

// kubeletAnswers reports whether the API server reaches node's kubelet:
// its /healthz through the node proxy, the way exec and logs go. A user
// not allowed nodes/proxy cannot tell, and is not held up.
func kubeletAnswers(ctx context.Context, c *Client, node string) bool {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	body, err := c.CoreV1().RESTClient().Get().AbsPath("/api/v1/nodes", node, "proxy", "healthz").DoRaw(ctx)
	if apierrors.IsForbidden(err) {
		return true
	}
	return err == nil && strings.TrimSpace(string(body)) == "ok"
}
