//go:build e2e

package nodeport

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// NP-04: a NodePort service is also a ClusterIP service.
// MUST: the NodePort Service has a ClusterIP, and a client pod reaches it
// both by that ClusterIP and by the Service's DNS name, each from every
// backend (the world's servers), within world.ReachBound: confirmed; no
// ClusterIP, no answer or a backend never reached: failed.
func np04(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("NP-04", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			f.ready(t)
			return ctx
		}).
		Assess("ClusterIPAndNameWorkForANodePortService", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			chk.Evidence("service %s/%s type=%s clusterIP=%s nodePort=%d", f.ns, f.svc.Name, f.svc.Spec.Type, f.svc.Spec.ClusterIP, f.svc.Spec.Ports[0].NodePort)
			if f.svc.Spec.ClusterIP == "" || f.svc.Spec.ClusterIP == "None" {
				verdict.Fatalf(t, "the NodePort service has no ClusterIP")
			}
			var seen []string
			for _, url := range []string{fmt.Sprintf("http://%s/hostname", f.svc.Spec.ClusterIP), "http://" + f.svc.Name + "/hostname"} {
				r, err := world.EveryBackend(ctx, f.client, url, f.w.ServerNames(), world.ReachBound)
				world.Evidence(chk, f.client, url, world.HTTPSummary(r))
				if err != nil {
					verdict.Error(t, err)
					continue
				}
				seen = append(seen, url+" answered by "+world.Counts(r.BackendCounts))
			}
			if !t.Failed() {
				chk.Confirm("NodePort service %s (nodePort %d) works as a ClusterIP service: %s", f.svc.Name, f.svc.Spec.Ports[0].NodePort, strings.Join(seen, "; "))
			}
			return ctx
		}).Feature()
}
