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

// steadyWindows is how many windows steadyRequests tries for one in which
// the Service's endpoints stood still.
const steadyWindows = 3

// steadyRequests sends n requests for url from client in a window during
// which Service ns/svc's EndpointSlices were not written: every one of
// backends ready in them before, each answering through the client's proxy
// (its rules programmed), and the same slice versions after. A claim about
// how a fixed set of replicas shares the load measures nothing while one of
// them leaves (unready for a moment): such a window is in the evidence and
// is measured again; with no steady window the claim is failed, not judged.
func steadyRequests(ctx context.Context, t *testing.T, chk *verdict.Check, c *kube.Client, ns, svc string, client kube.Prober, url string, backends []string, n int) probe.HTTPResult {
	t.Helper()
	for window := 1; ; window++ {
		if err := world.WaitEndpoints(ctx, c, ns, svc, len(backends)); err != nil {
			verdict.Fatal(t, err)
		}
		before, err := kube.ServiceEndpoints(ctx, c, ns, svc)
		if err != nil {
			verdict.Fatal(t, err)
		}
		if _, err := world.EveryBackend(ctx, client, url, backends, world.ReachBound); err != nil {
			verdict.Fatal(t, err)
		}
		r, err := client.HTTP(ctx, url, n)
		if err != nil {
			verdict.Fatalf(t, "probe failure, not the cluster's answer: %v", err)
		}
		after, err := kube.ServiceEndpoints(ctx, c, ns, svc)
		if err != nil {
			verdict.Fatal(t, err)
		}
		if len(before.Ready) == len(backends) && after.Version == before.Version {
			return r
		}
		chk.Evidence("window %d: the endpoints of %s changed during it (ready before %v, after %v; answers %s): measured again", window, svc, before.Ready, after.Ready, world.Counts(r.BackendCounts))
		if window == steadyWindows {
			verdict.Fatalf(t, "the endpoints of %s changed during each of %d windows: never measured over a steady set of %d backends", svc, steadyWindows, len(backends))
		}
	}
}

// podNames are the names of pods.
func podNames(pods []corev1.Pod) []string {
	out := make([]string, len(pods))
	for i := range pods {
		out[i] = pods[i].Name
	}
	return out
}
