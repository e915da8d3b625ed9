//go:build e2e

package pod

import (
	"context"
	"fmt"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// POD-07: pod IPs are internal and not exposed outside the cluster.
// MUST (env): from an observer outside the cluster, on the node network but
// not a node, a pod IP does not answer.
func pod07(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("POD-07", &chk).
		Assess("PodIPDoesNotAnswerFromOutside", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			s := w.Servers[0]
			url := fmt.Sprintf("http://%s:%d/hostname", s.IP, world.ServerPort)
			r, reason, ok := world.OutsideObserver(ctx, "--url", url, "--tries", "1", "--timeout", "2s")
			if !ok {
				chk.NotApplicable(t, reason)
			}
			world.Evidence(chk, world.OutsideObserverName{}, url+" ("+s.Pod+")", world.HTTPSummary(r))
			if r.OK > 0 {
				verdict.Errorf(t, "pod %s answered on %s from outside the cluster", s.Pod, url)
			}
			return ctx
		}).Feature()
}
