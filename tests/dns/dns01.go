//go:build e2e

package dns

import (
	"context"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// DNS-01: the cluster DNS is exposed as the kube-dns ClusterIP service and is
// the pods' nameserver.
// MUST: a pod's /etc/resolv.conf nameserver is the ClusterIP of kube-system/kube-dns.
func dns01(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-01", &chk).
		Assess("PodNameserverIsTheKubeDNSClusterIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			conf := readResolvConf(ctx, t, f.local)
			chk.Evidence("%s /etc/resolv.conf nameservers %v; kube-system/kube-dns clusterIP %s", f.local, conf.nameservers, f.kubeDNSIP)
			if len(conf.nameservers) == 0 || conf.nameservers[0] != f.kubeDNSIP {
				verdict.Errorf(t, "nameservers %v, want %s first", conf.nameservers, f.kubeDNSIP)
			}
			return ctx
		}).Feature()
}
