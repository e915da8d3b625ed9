//go:build e2e

package nodeport

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// NP-03: NodePort exposes the service outside the cluster.
// MUST (env): an observer outside the cluster reaches nodeIP:nodePort.
func np03(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("NP-03", &chk).
		Assess("OutsideObserverReachesNodePort", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			port := f.svc.Spec.Ports[0].NodePort
			for node, ip := range f.nodeIPs {
				url := fmt.Sprintf("http://%s:%d/hostname", ip, port)
				// The node's proxy may not have the new Service's rules yet:
				// wait for them, as a client would retry.
				var r probe.HTTPResult
				notApplicable := ""
				err := kube.WaitFor(ctx, url+" answering the outside observer", time.Minute, func(ctx context.Context) (kube.Observation, error) {
					res, reason, ok := world.OutsideObserver(ctx, "--url", url, "--tries", "3", "--timeout", "2s")
					if !ok {
						notApplicable = reason
						return kube.Observation{Done: true}, nil
					}
					r = res
					return kube.Observation{Done: r.OK == r.Tries, Seen: world.HTTPSummary(r)}, nil
				})
				if notApplicable != "" {
					chk.NotApplicable(t, notApplicable)
				}
				world.Evidence(chk, world.OutsideObserverName{}, url+" (node "+node+")", world.HTTPSummary(r))
				if err != nil {
					verdict.Errorf(t, "node %s did not answer on its NodePort %d from outside the cluster: %v", node, port, err)
				}
			}
			return ctx
		}).Feature()
}
