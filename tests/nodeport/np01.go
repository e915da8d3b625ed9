//go:build e2e

package nodeport

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// NP-01: a NodePort service opens the same port on every node
// (documents 002, 003, 004).
// MUST: nodeIP:nodePort answers a client pod on every node, from every
// backend (the world's servers), each within world.ReachBound (a node's
// proxy may program a new Service late): confirmed; a node that never
// answers, or a backend never reached through it: failed.
func np01(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("NP-01", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			f.ready(t)
			return ctx
		}).
		Assess("NodePortAnswersOnEveryNode", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			port := f.svc.Spec.Ports[0].NodePort
			answered := 0
			for _, node := range slices.Sorted(maps.Keys(f.nodeIPs)) {
				url := fmt.Sprintf("http://%s:%d/hostname", f.nodeIPs[node], port)
				r, err := world.EveryBackend(ctx, f.client, url, f.w.ServerNames(), world.ReachBound)
				world.Evidence(chk, f.client, url+" (node "+node+")", world.HTTPSummary(r))
				if err != nil {
					verdict.Errorf(t, "node %s does not answer on NodePort %d: %v", node, port, err)
					continue
				}
				answered++
			}
			if answered == len(f.nodeIPs) {
				chk.Confirm("NodePort %d answered on all %d nodes' InternalIPs, each from every backend", port, answered)
			}
			return ctx
		}).Feature()
}
