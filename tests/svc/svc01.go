//go:build e2e

package svc

import (
	"context"
	"net/netip"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// SVC-01: a Service without `type` is a ClusterIP service with a
// cluster-internal IP.
// MUST: spec.type defaults to ClusterIP and spec.clusterIP is set, inside
// the service CIDR.
func svc01(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-01", &chk).
		Assess("UntypedServiceGetsAClusterIPInTheServiceRange", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			svc := world.CreateService(ctx, t, w.C, kube.Service(w.NS, "svc01", "", map[string]string{"app": "server"},
				kube.ServicePort("http", 80, world.ServerPort)))
			cidrs, err := world.ServiceCIDRs(ctx, w.C)
			if err != nil {
				verdict.Fatal(t, err)
			}
			ip, err := netip.ParseAddr(svc.Spec.ClusterIP)
			inside := false
			for _, p := range cidrs {
				inside = inside || (err == nil && p.Contains(ip))
			}
			chk.Evidence("service %s/%s created without type: type=%s clusterIP=%s serviceCIDRs=%v inside=%t",
				svc.Namespace, svc.Name, svc.Spec.Type, svc.Spec.ClusterIP, cidrs, inside)
			if svc.Spec.Type != corev1.ServiceTypeClusterIP {
				verdict.Errorf(t, "type = %q, want ClusterIP", svc.Spec.Type)
			}
			if !inside {
				verdict.Errorf(t, "clusterIP %q is not inside the service CIDRs %v", svc.Spec.ClusterIP, cidrs)
			}
			if svc.Spec.Type == corev1.ServiceTypeClusterIP && inside {
				chk.Confirm("a Service created without type is type ClusterIP with clusterIP %s, inside the service CIDRs %v", svc.Spec.ClusterIP, cidrs)
			}
			return ctx
		}).Feature()
}
