//go:build e2e

package nodeport

import (
	"context"
	"fmt"
	"testing"

	"github.com/netconform/netconform/pkg/claims"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// NP-03: NodePort exposes the service outside the cluster.
// MUST (env): an observer outside the cluster reaches nodeIP:nodePort.
func np03(f *fixture) features.Feature {
	var chk *claims.Check
	return world.Claim("NP-03", &chk).
		Assess("OutsideObserverReachesNodePort", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			port := f.svc.Spec.Ports[0].NodePort
			for node, ip := range f.nodeIPs {
				url := fmt.Sprintf("http://%s:%d/hostname", ip, port)
				r, reason, ok := world.OutsideObserver(ctx, "--url", url, "--tries", "3", "--timeout", "2s")
				if !ok {
					chk.NotApplicable(t, reason)
				}
				world.Evidence(chk, world.OutsideObserverName{}, url+" (node "+node+")", world.HTTPSummary(r))
				if r.OK == 0 {
					t.Errorf("node %s did not answer on its NodePort %d from outside the cluster", node, port)
				}
			}
			return ctx
		}).Feature()
}
