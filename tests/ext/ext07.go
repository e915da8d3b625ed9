//go:build e2e

package ext

import (
	"context"
	"fmt"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// EXT-07: an ExternalName Service resolves as a CNAME.
// MUST: the Service's name answers a CNAME to its externalName, and an A
// query follows it to the target's ClusterIP, each within
// world.ReachBound: confirmed; otherwise failed. The target is an
// in-cluster name, so the check never leaves the machine.
func ext07(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("EXT-07", &chk).
		Assess("ExternalNameIsACNAME", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-ext07")
			zone := world.ClusterDomain(ctx, c)
			target := world.CreateService(ctx, t, c, kube.Service(ns, "database", "", map[string]string{"app": "none"}, kube.ServicePort("tcp", 5432, 5432)))
			targetName := fmt.Sprintf("database.%s.svc.%s", ns, zone)
			ext := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "db-alias"},
				Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeExternalName, ExternalName: targetName}}
			world.CreateService(ctx, t, c, ext)
			client := w.Wait(t).AnyClient()
			alias := fmt.Sprintf("db-alias.%s.svc.%s", ns, zone)
			expect(ctx, t, chk, client, alias, "CNAME", targetName+".")
			expect(ctx, t, chk, client, alias, "A", target.Spec.ClusterIP)
			if !t.Failed() {
				chk.Confirm("%s is a CNAME to %s. and resolves through it to %s", alias, targetName, target.Spec.ClusterIP)
			}
			return ctx
		}).Feature()
}
