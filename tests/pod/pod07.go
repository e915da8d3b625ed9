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
// MUST (env): an observer outside the cluster, on the node network but not
// a node, that has just reached a node's NodePort (its positive control),
// gets no answer from a pod IP for world.NotReachableFor. An observer that
// cannot run or reach the control fails the claim; a cluster the suite did
// not make has no such observer (not applicable).
func pod07(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("POD-07", &chk).
		Assess("PodIPDoesNotAnswerFromOutside", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			outside := world.NewOutside(ctx, t, chk, w)
			s := w.Servers[0]
			url := fmt.Sprintf("http://%s:%d/hostname", s.IP, world.ServerPort)
			if r, err := world.WaitHTTP(ctx, w.AnyClient(), url, world.ReachBound); err != nil {
				verdict.Fatalf(t, "pod %s does not answer inside the cluster either, so silence outside proves nothing: %v", s.Pod, err)
			} else {
				world.Evidence(chk, w.AnyClient(), url+" (inside, for contrast)", world.HTTPSummary(r))
			}
			r := outside.NeverAnswers(ctx, t, chk, url, "pod "+s.Pod)
			if r.OK == 0 {
				chk.Confirm("pod IP %s answered inside the cluster; from outside, after the control %s answered: %s", s.IP, outside.Control, world.Silence(r))
			}
			return ctx
		}).Feature()
}
