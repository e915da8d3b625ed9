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
// MUST: kube-dns.kube-system.svc.<zone> resolves to its ClusterIP.
func dns13(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-13", &chk).
		Assess("KubeDNSServiceNameResolves", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			for _, p := range []kube.Prober{f.local, f.remote} {
				r := lookup(ctx, t, chk, p, "kube-dns.kube-system.svc."+f.zone, "A")
				if !only(r.Answers, f.kubeDNSIP) {
					verdict.Errorf(t, "kube-dns resolved to %v, want [%s]", r.Answers, f.kubeDNSIP)
				}
			}
			return ctx
		}).Feature()
}
