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

// NP-04: a NodePort service is also a ClusterIP service.
// MUST: its ClusterIP and its DNS name work in-cluster too.
func np04(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("NP-04", &chk).
		Assess("ClusterIPAndNameWorkForANodePortService", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			chk.Evidence("service %s/%s type=%s clusterIP=%s nodePort=%d", f.ns, f.svc.Name, f.svc.Spec.Type, f.svc.Spec.ClusterIP, f.svc.Spec.Ports[0].NodePort)
			if f.svc.Spec.ClusterIP == "" || f.svc.Spec.ClusterIP == "None" {
				verdict.Fatalf(t, "the NodePort service has no ClusterIP")
			}
			for _, url := range []string{fmt.Sprintf("http://%s/hostname", f.svc.Spec.ClusterIP), "http://" + f.svc.Name + "/hostname"} {
				r, err := world.WaitHTTP(ctx, f.client, url, time.Minute)
				world.Evidence(chk, f.client, url, world.HTTPSummary(r))
				if err != nil {
					verdict.Error(t, err)
				}
			}
			return ctx
		}).Feature()
}
