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

// DNS-13: the DNS server itself has a service name.
// MUST: kube-dns.kube-system.svc.<zone> resolves to its ClusterIP from any
// namespace (confirmed).
func dns13(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-13", &chk).
		Setup(f.setup).
		Assess("KubeDNSServiceNameResolves", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			name := "kube-dns.kube-system.svc." + f.zone
			ok := true
			for _, p := range []kube.Prober{f.local, f.remote} {
				_, resolved := resolves(ctx, t, chk, p, name, "A", f.recordBound(), is(f.kubeDNSIP))
				ok = ok && resolved
			}
			if ok {
				chk.Confirm("%s resolves to kube-dns's ClusterIP %s from %s and from %s", name, f.kubeDNSIP, f.ns, f.otherNS)
			}
			return ctx
		}).Feature()
}
