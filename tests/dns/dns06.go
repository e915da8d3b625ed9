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
// MUST: from any namespace, to the ClusterIP, also as an absolute name with
// a trailing dot (confirmed).
func dns06(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-06", &chk).
		Setup(f.setup).
		Assess("FQDNResolvesFromAnyNamespaceAlsoAbsolute", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			fqdn := "web." + f.ns + ".svc." + f.zone
			ok := true
			for _, p := range []kube.Prober{f.local, f.remote} {
				for _, name := range []string{fqdn, fqdn + "."} {
					_, resolved := resolves(ctx, t, chk, p, name, "A", f.recordBound(), is(f.web.Spec.ClusterIP))
					ok = ok && resolved
				}
			}
			if ok {
				chk.Confirm("%s and %s. resolve to the ClusterIP %s from %s and from %s", fqdn, fqdn, f.web.Spec.ClusterIP, f.ns, f.otherNS)
			}
			return ctx
		}).Feature()
}
