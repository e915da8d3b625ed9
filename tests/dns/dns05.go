//go:build e2e

package dns

import (
	"context"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// DNS-05: `svc.ns.svc` resolves.
// MUST: from any namespace, to the ClusterIP.
func dns05(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-05", &chk).
		Assess("ServiceNamespaceSvcResolvesFromAnyNamespace", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			for _, p := range []kube.Prober{f.local, f.remote} {
				r := lookup(ctx, t, chk, p, "web."+f.ns+".svc", "A")
				if !only(r.Answers, f.web.Spec.ClusterIP) {
					verdict.Errorf(t, "from %s: web.%s.svc resolved to %v, want [%s]", p.NS, f.ns, r.Answers, f.web.Spec.ClusterIP)
				}
			}
			return ctx
		}).Feature()
}
