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

// DNS-04: `svc.ns` resolves.
// MUST: from the same and from another namespace, to the ClusterIP.
func dns04(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-04", &chk).
		Assess("ServiceDotNamespaceResolvesFromAnyNamespace", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			for _, p := range []kube.Prober{f.local, f.remote} {
				r := lookup(ctx, t, chk, p, "web."+f.ns, "A")
				if !only(r.Answers, f.web.Spec.ClusterIP) {
					verdict.Errorf(t, "from %s: web.%s resolved to %v, want [%s]", p.NS, f.ns, r.Answers, f.web.Spec.ClusterIP)
				}
			}
			return ctx
		}).Feature()
}
