//go:build e2e

package dns

import (
	"context"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// DNS-11: CoreDNS watches services: records appear on create and go on delete.
// MUST: a new Service resolves within watchLatency plus the time CoreDNS may
// cache a negative answer for the zone; after delete it is NXDOMAIN within
// watchLatency plus the positive cache time. Both cache times come from the
// cluster's Corefile (cache plugin, kubernetes ttl). Times are those at
// which the queries were sent, so a slow exec cannot fail the claim (see
// convergeFrom). The NXDOMAIN after delete stands beside the same client's
// positive answer before it. Confirmed when both happen in time.
func dns11(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-11", &chk).
		Setup(f.setup).
		Assess("RecordsFollowServiceCreateAndDelete", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			appearBound := watchLatency + f.coredns.CacheDenial
			goneBound := watchLatency + f.coredns.CacheSuccess
			chk.Evidence("CoreDNS for %s: record ttl %s, positive cache %s, negative cache %s; bounds: appear %s, disappear %s",
				f.zone, f.coredns.RecordTTL, f.coredns.CacheSuccess, f.coredns.CacheDenial, appearBound, goneBound)
			name := "dns11-appear." + f.ns + ".svc." + f.zone + "."
			svc := world.CreateService(ctx, t, f.c, kube.Service(f.ns, "dns11-appear", "", map[string]string{"app": "server"}, kube.ServicePort("http", 80, 8080)))
			var r probe.DNSResult
			appeared, err := converge(ctx, name+" resolving", appearBound, dnsLook(f.local, name, "A", nil, &r, is(svc.Spec.ClusterIP)))
			if err == nil {
				err = appeared.inTime(name+" resolving", appearBound)
			}
			chk.Evidence("created service dns11-appear (clusterIP %s): %s -> %s (%s)", svc.Spec.ClusterIP, name, dnsSummary(r), appeared)
			if err != nil {
				verdict.Fatalf(t, "%v", err)
			}
			if err := f.c.CoreV1().Services(f.ns).Delete(ctx, "dns11-appear", metav1.DeleteOptions{}); err != nil {
				verdict.Fatalf(t, "delete service %s/dns11-appear: %v", f.ns, err)
			}
			gone, err := converge(ctx, name+" gone", goneBound, dnsLook(f.local, name, "A", nil, &r, func(r probe.DNSResult) bool {
				return r.RCode == "NXDOMAIN" && len(r.Answers) == 0
			}))
			if err == nil {
				err = gone.inTime(name+" gone", goneBound)
			}
			chk.Evidence("deleted service dns11-appear: %s -> %s (%s)", name, dnsSummary(r), gone)
			if err != nil {
				verdict.Fatalf(t, "%v", err)
			}
			chk.Confirm("%s resolved to %s %s after the Service's creation (bound %s) and was NXDOMAIN %s after its deletion (bound %s)",
				name, svc.Spec.ClusterIP, appeared.took.Round(time.Millisecond), appearBound, gone.took.Round(time.Millisecond), goneBound)
			return ctx
		}).Feature()
}
