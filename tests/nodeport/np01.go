//go:build e2e

package nodeport

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// NP-01: a NodePort service opens the same port on every node.
// MUST: nodeIP:nodePort answers on every node.
func np01(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("NP-01", &chk).
		Assess("NodePortAnswersOnEveryNode", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			port := f.svc.Spec.Ports[0].NodePort
			for node, ip := range f.nodeIPs {
				url := fmt.Sprintf("http://%s:%d/hostname", ip, port)
				r, err := world.WaitHTTP(ctx, f.client, url, time.Minute)
				world.Evidence(chk, f.client, url+" (node "+node+")", world.HTTPSummary(r))
				if err != nil {
					verdict.Error(t, err)
				}
			}
			return ctx
		}).Feature()
}
