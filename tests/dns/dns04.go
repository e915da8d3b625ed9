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
// MUST: from the same and from another namespace, to the ClusterIP
// (confirmed).
func dns04(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-04", &chk).
		Setup(f.setup).
		Assess("ServiceDotNamespaceResolvesFromAnyNamespace", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			name := "web." + f.ns
			ok := true
			for _, p := range []kube.Prober{f.local, f.remote} {
				_, resolved := resolves(ctx, t, chk, p, name, "A", f.recordBound(), is(f.web.Spec.ClusterIP))
				ok = ok && resolved
			}
			if ok {
				chk.Confirm("%s resolves to the ClusterIP %s from %s and from %s", name, f.web.Spec.ClusterIP, f.ns, f.otherNS)
			}
			return ctx
		}).Feature()
}
