//go:build e2e

package svc

import (
	"context"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
)

// steadyRequests sends n requests for url from client in a window in which
// Service ns/svc's endpoints stood still (world.SteadyWindow), each of
// backends first answering through the client's proxy (its rules written).
func steadyRequests(ctx context.Context, t *testing.T, chk *verdict.Check, c *kube.Client, ns, svc string, client kube.Prober, url string, backends []string, n int) probe.HTTPResult {
	t.Helper()
	return world.SteadyWindow(ctx, t, chk, c, ns, svc, len(backends), func() probe.HTTPResult {
		if _, err := world.EveryBackend(ctx, client, url, backends, world.ReachBound); err != nil {
			verdict.Fatal(t, err)
		}
		r, err := client.HTTP(ctx, url, n)
		if err != nil {
			verdict.Fatalf(t, "probe failure, not the cluster's answer: %v", err)
		}
		return r
	})
}

// podNames are the names of pods.
func podNames(pods []corev1.Pod) []string {
	out := make([]string, len(pods))
	for i := range pods {
		out[i] = pods[i].Name
	}
	return out
}
