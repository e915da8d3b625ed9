//go:build e2e

package pod

import (
	"context"
	"fmt"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// POD-03: a pod is reachable by its IP from anywhere in the cluster.
// MUST: HTTP to podIP:port answers, from a client on the same node, on
// another node, and in another namespace.
func pod03(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("POD-03", &chk).
		Assess("EveryServerAnswersOnItsPodIPFromEveryClient", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			clients := []kube.Prober{w.Remote}
			for _, n := range w.Nodes {
				clients = append(clients, w.Client(n))
			}
			for _, s := range w.Servers {
				url := fmt.Sprintf("http://%s:%d/hostname", s.IP, world.ServerPort)
				for _, c := range clients {
					r, err := c.HTTP(ctx, url, 1)
					if err != nil {
						verdict.Fatal(t, err)
					}
					world.Evidence(chk, c, url+" ("+s.Pod+" on "+s.Node+")", world.HTTPSummary(r))
					if r.OK != 1 || r.BackendCounts[s.Pod] != 1 {
						verdict.Errorf(t, "%s could not reach %s at %s: %s", c, s.Pod, url, world.HTTPSummary(r))
					}
				}
			}
			if len(w.Nodes) < 2 {
				chk.Evidence("only one schedulable node: the cross-node path was not exercised")
			}
			return ctx
		}).Feature()
}
