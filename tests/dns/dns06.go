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

// DNS-06: the FQDN `svc.ns.svc.cluster.local` resolves from anywhere.
// MUST: from any namespace, also as an absolute name with a trailing dot.
func dns06(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-06", &chk).
		Assess("FQDNResolvesFromAnyNamespaceAlsoAbsolute", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			fqdn := "web." + f.ns + ".svc." + f.zone
			for _, p := range []kube.Prober{f.local, f.remote} {
				for _, name := range []string{fqdn, fqdn + "."} {
					r := lookup(ctx, t, chk, p, name, "A")
					if !only(r.Answers, f.web.Spec.ClusterIP) {
						verdict.Errorf(t, "from %s: %s resolved to %v, want [%s]", p.NS, name, r.Answers, f.web.Spec.ClusterIP)
					}
				}
			}
			return ctx
		}).Feature()
}
