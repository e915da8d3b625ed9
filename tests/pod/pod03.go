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

// POD-03: a pod is reachable by its IP from anywhere in the cluster.
// MUST: HTTP to podIP:port of every server answers, from that very pod,
// to a client on every node (the same node and every other one) and to
// the client in another namespace, each pair within world.ReachBound (all
// pairs at once).
// The document and Kubernetes agree: confirmed, or failed.
func pod03(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("POD-03", &chk).
		Assess("EveryServerAnswersOnItsPodIPFromEveryClient", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			clients := append(allClients(w), w.Remote)
			sameNode, crossNode, otherNS := 0, 0, 0
			var pairs []world.Pair
			for _, s := range w.Servers {
				for _, c := range clients {
					pairs = append(pairs, world.Pair{Client: c, URL: fmt.Sprintf("http://%s:%d/hostname", s.IP, world.ServerPort)})
				}
			}
			reached := world.WaitEveryPair(ctx, pairs, world.ReachBound)
			for i, s := range w.Servers {
				for j, c := range clients {
					url, r, err := pairs[i*len(clients)+j].URL, reached[i*len(clients)+j].R, reached[i*len(clients)+j].Err
					world.Evidence(chk, c, url+" ("+s.Pod+" on "+s.Node+")", world.HTTPSummary(r))
					switch {
					case err != nil:
						verdict.Errorf(t, "%s could not reach %s at %s: %v", c, s.Pod, url, err)
					case r.BackendCounts[s.Pod] != 1:
						verdict.Errorf(t, "%s reached %s but %s did not answer there: %s", c, url, s.Pod, world.HTTPSummary(r))
					case c.NS != w.NS:
						otherNS++
					case nodeOf(w, c) == s.Node:
						sameNode++
					default:
						crossNode++
					}
				}
			}
			if t.Failed() {
				return ctx
			}
			if len(w.Clients) < 2 {
				chk.Evidence("the cluster has one node: no cross-node pair exists")
			}
			chk.Confirm("each of %d servers answered on its pod IP to every client: %d same-node pairs, %d cross-node pairs, %d from namespace %s",
				len(w.Servers), sameNode, crossNode, otherNS, w.OtherNS)
			return ctx
		}).Feature()
}
