//go:build e2e

package dns

import (
	"context"
	"testing"

	"github.com/netconform/netconform/pkg/detect"
	"github.com/netconform/netconform/pkg/verdict"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// DNS-01: the cluster DNS is exposed as the kube-dns ClusterIP service and is
// the pods' nameserver.
// MUST: a pod's first /etc/resolv.conf nameserver is the ClusterIP of
// kube-system/kube-dns, and a name of the cluster zone asked of it gets the
// answer kube-dns gives (confirmed). Where NodeLocal DNSCache runs (detected
// from its ConfigMap, pkg/detect), the nameserver may instead be the cache on
// the pod's node (a link-local address such as 169.254.20.10) or the cache
// answering at kube-dns's own ClusterIP: the claim is then judged through
// it, confirmed when the cache forwards the zone to kube-dns and answers as
// kube-dns does, and the reason names the cache. Any other nameserver, or a
// path that does not answer as kube-dns does, fails the claim.
func dns01(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-01", &chk).
		Setup(f.setup).
		Assess("PodNameserverIsTheKubeDNSClusterIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			conf := readResolvConf(ctx, t, f.local)
			nl, where := f.nodeLocalDNS(ctx)
			upstream := f.serviceIP(ctx, "kube-system", "kube-dns-upstream")
			path := detect.DNSPath(conf.nameservers, f.kubeDNSIP, upstream, nl)
			chk.Evidence("%s /etc/resolv.conf nameservers %v; kube-system/kube-dns clusterIP %s; NodeLocal DNSCache: %s", f.local, conf.nameservers, f.kubeDNSIP, where)
			chk.Evidence("path: %s (%s)", path.Kind, path.Why)
			if path.Kind == detect.Unexplained {
				verdict.Fatalf(t, "the pod's nameserver is not kube-dns: %s", path.Why)
			}
			// The path is judged by what it answers: kube-dns's own record,
			// asked of the pod's nameserver, as kube-dns answers it directly.
			name := "kube-dns.kube-system.svc." + f.zone + "."
			direct, ok := resolves(ctx, t, chk, f.local, name, "A", f.recordBound(), is(f.kubeDNSIP), "--server", f.kubeDNSIP)
			if !ok {
				return ctx
			}
			if path.Kind == detect.Direct {
				chk.Confirm("the pod's nameserver %s is kube-system/kube-dns's ClusterIP, and it answers %s with %v", path.Nameserver, name, direct.Answers)
				return ctx
			}
			if _, ok := resolves(ctx, t, chk, f.local, name, "A", f.recordBound(), is(direct.Answers...), "--server", path.Nameserver); ok {
				chk.Confirm("through NodeLocal DNSCache (%s): %s; asked of the pod's nameserver %s, %s resolves to %v, as kube-dns %s answers it", where, path.Why, path.Nameserver, name, direct.Answers, f.kubeDNSIP)
			}
			return ctx
		}).Feature()
}
