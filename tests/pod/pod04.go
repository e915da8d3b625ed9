//go:build e2e

package pod

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// POD-04: pod-to-pod traffic is not NATed.
// MUST: every server, asked on its pod IP by the client on every node
// (same node and cross node), reports that client's own pod IP as the
// source address. A translated source (a node's or gateway's address) is
// failed: the document and Kubernetes agree.
func pod04(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("POD-04", &chk).
		Assess("ServerSeesTheClientPodIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			pairs := map[string]int{}
			clients := allClients(w)
			var tries []world.Pair
			for _, s := range w.Servers {
				for _, c := range clients {
					tries = append(tries, world.Pair{Client: c, URL: fmt.Sprintf("http://%s:%d/clientip", s.IP, world.ServerPort)})
				}
			}
			reached := world.WaitEveryPair(ctx, tries, world.ReachBound) // all pairs at once: one bound, not one per broken pair
			for i, s := range w.Servers {
				for j, c := range clients {
					path := "cross-node"
					if nodeOf(w, c) == s.Node {
						path = "same-node"
					}
					url, r, err := tries[i*len(clients)+j].URL, reached[i*len(clients)+j].R, reached[i*len(clients)+j].Err
					seen, _, _ := net.SplitHostPort(strings.TrimSpace(r.Body))
					world.Evidence(chk, c, url+" ("+s.Pod+")", fmt.Sprintf("%s, server saw source %q (%s)", world.HTTPSummary(r), seen, path))
					switch {
					case err != nil:
						verdict.Errorf(t, "%s path: %s could not reach %s: %v", path, c, s.Pod, err)
					case seen != c.IP:
						verdict.Errorf(t, "%s path: server %s saw source %q, want the client pod IP %s", path, s.Pod, seen, c.IP)
					default:
						pairs[path]++
					}
				}
			}
			if t.Failed() {
				return ctx
			}
			chk.Confirm("every server saw the client's own pod IP as source: %d same-node and %d cross-node pairs", pairs["same-node"], pairs["cross-node"])
			return ctx
		}).Feature()
}
