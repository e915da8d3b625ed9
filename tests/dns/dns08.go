//go:build e2e

package dns

import (
	"context"
	"strings"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// DNS-08: the bare name only works inside the service's namespace.
// MUST: from another namespace `svc` does not resolve to the service.
func dns08(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-08", &chk).
		Assess("BareNameDoesNotResolveFromAnotherNamespace", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			r := lookup(ctx, t, chk, f.remote, "web", "A")
			for _, a := range r.Answers {
				if a == f.web.Spec.ClusterIP {
					verdict.Errorf(t, "from namespace %s the bare name web resolved to %s/web's ClusterIP %s", f.otherNS, f.ns, a)
				}
			}
			if len(r.Answers) > 0 {
				verdict.Errorf(t, "web resolved from %s: %s", f.otherNS, dnsSummary(r))
			}
			// Inside the cluster zone the DNS is authoritative: every search-list
			// name there must be NXDOMAIN. The last, bare "web." lies outside it,
			// where a hermetic CoreDNS (no forward) answers SERVFAIL.
			for _, a := range r.Attempts {
				if strings.HasSuffix(a.FQDN, "."+f.zone+".") {
					chk.Evidence("  %s -> %s", a.FQDN, a.RCode)
					if a.RCode != "NXDOMAIN" {
						verdict.Errorf(t, "%s: %s, want NXDOMAIN", a.FQDN, a.RCode)
					}
				}
			}
			return ctx
		}).Feature()
}
