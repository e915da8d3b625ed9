//go:build e2e

package world

import (
	"context"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
)

// steadyWindows is how many windows SteadyWindow tries for one in which the
// Service's endpoints stood still.
const steadyWindows = 3

// SteadyWindow runs measure while Service ns/svc's EndpointSlices stand
// still: n endpoints ready in them before (waited for through the API) and
// the same slice versions after. A claim about how a fixed set of backends
// shares the load, or which one a client is pinned to, measures nothing
// while one of them leaves and comes back (unready for a moment): such a
// window is in the evidence and measured again; with no steady window in
// steadyWindows the claim is failed, never judged.
func SteadyWindow(ctx context.Context, t *testing.T, chk *verdict.Check, c *kube.Client, ns, svc string, n int, measure func() probe.HTTPResult) probe.HTTPResult {
	t.Helper()
	for window := 1; ; window++ {
		if err := WaitEndpoints(ctx, c, ns, svc, n); err != nil {
			verdict.Fatal(t, err)
		}
		before, err := kube.ServiceEndpoints(ctx, c, ns, svc)
		if err != nil {
			verdict.Fatal(t, err)
		}
		r := measure()
		after, err := kube.ServiceEndpoints(ctx, c, ns, svc)
		if err != nil {
			verdict.Fatal(t, err)
		}
		if len(before.Ready) == n && after.Version == before.Version {
			return r
		}
		chk.Evidence("window %d: the endpoints of %s changed during it (ready before %v, after %v; answers %s): measured again", window, svc, before.Ready, after.Ready, Counts(r.BackendCounts))
		if window == steadyWindows {
			verdict.Fatalf(t, "the endpoints of %s changed during each of %d windows: never measured over a steady set of %d backends", svc, steadyWindows, n)
		}
	}
}
