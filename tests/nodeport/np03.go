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

// NP-03: NodePort exposes the service outside the cluster (document 002).
// MUST (env): an observer outside the cluster reaches nodeIP:nodePort on
// every node (each within world.ReachBound: a node's proxy may program a
// new Service late): confirmed. A node that never answers, or an observer
// that cannot run, fails the claim; a cluster the suite did not make has
// no such observer (not applicable).
func np03(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("NP-03", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			f.ready(t)
			return ctx
		}).
		Assess("OutsideObserverReachesNodePort", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			outside := world.Observer(t, chk)
			port := f.svc.Spec.Ports[0].NodePort
			for _, node := range slices.Sorted(maps.Keys(f.nodeIPs)) {
				url := fmt.Sprintf("http://%s:%d/hostname", f.nodeIPs[node], port)
				outside.Reach(ctx, t, chk, url, "node "+node)
			}
			chk.Confirm("the outside observer reached NodePort %d on all %d nodes", port, len(f.nodeIPs))
			return ctx
		}).Feature()
}
