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
// MUST: the server reports the client pod's own IP as the source address,
// for a client on the same node and on another node.
func pod04(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("POD-04", &chk).
		Assess("ServerSeesTheClientPodIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			for _, s := range w.Servers {
				url := fmt.Sprintf("http://%s:%d/clientip", s.IP, world.ServerPort)
				for _, node := range w.Nodes {
					c := w.Client(node)
					r, err := c.HTTP(ctx, url, 1)
					if err != nil {
						verdict.Fatal(t, err)
					}
					seen, _, _ := net.SplitHostPort(strings.TrimSpace(r.Body))
					path := "cross-node"
					if node == s.Node {
						path = "same-node"
					}
					world.Evidence(chk, c, url, fmt.Sprintf("%s, server saw source %s (%s)", world.HTTPSummary(r), seen, path))
					if r.OK != 1 || seen != c.IP {
						verdict.Errorf(t, "%s path: server %s saw source %q, want the client pod IP %s", path, s.Pod, seen, c.IP)
					}
				}
			}
			return ctx
		}).Feature()
}
