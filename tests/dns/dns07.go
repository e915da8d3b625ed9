//go:build e2e

package dns

import (
	"context"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// DNS-07: document 001 says `svc.ns.cluster.local` resolves.
// MUST (Kubernetes DNS spec): NXDOMAIN, so the document is refuted; if a
// cluster did answer with the ClusterIP, the document's claim is confirmed.
func dns07(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-07", &chk).
		Assess("ServiceNamespaceZoneWithoutSvcIsNXDOMAIN", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			name := "web." + f.ns + "." + f.zone
			r := lookup(ctx, t, chk, f.local, name, "A")
			switch {
			case only(r.Answers, f.web.Spec.ClusterIP):
				chk.Evidence("%s resolves to the ClusterIP, as document 001 says", name)
			case len(r.Answers) == 0 && r.RCode == "NXDOMAIN":
				chk.Refute("%s -> NXDOMAIN (after %d search-list tries); only %s.svc.%s resolves", name, len(r.Attempts), "web."+f.ns, f.zone)
			default:
				verdict.Errorf(t, "%s: neither NXDOMAIN nor the ClusterIP: %s", name, dnsSummary(r))
			}
			return ctx
		}).Feature()
}
