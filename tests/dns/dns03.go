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
// MUST: the A record of the bare name is the ClusterIP.
func dns03(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-03", &chk).
		Assess("BareNameResolvesToTheClusterIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			r := lookup(ctx, t, chk, f.local, "web", "A")
			if !only(r.Answers, f.web.Spec.ClusterIP) {
				verdict.Errorf(t, "web resolved to %v, want [%s]", r.Answers, f.web.Spec.ClusterIP)
			}
			return ctx
		}).Feature()
}
