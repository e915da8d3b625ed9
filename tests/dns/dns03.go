//go:build e2e

package dns

import (
	"context"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// DNS-03: `svc` resolves within the same namespace.
// MUST: from a pod in the Service's namespace, the A record of the bare name
// is the ClusterIP, waited for up to recordBound (the Service is seconds
// old when the claims start): confirmed.
func dns03(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-03", &chk).
		Setup(f.setup).
		Assess("BareNameResolvesToTheClusterIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			if r, ok := resolves(ctx, t, chk, f.local, "web", "A", f.recordBound(), is(f.web.Spec.ClusterIP)); ok {
				chk.Confirm("from %s, web resolves to the ClusterIP %s (answered as %s)", f.local, f.web.Spec.ClusterIP, r.AnsweredFQDN)
			}
			return ctx
		}).Feature()
}
