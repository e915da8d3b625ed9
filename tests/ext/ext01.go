//go:build e2e

package ext

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// EXT-01: headless Service: `svc` resolves to the ready pod IPs; StatefulSet
// pods get `pod.svc` names.
// MUST: the headless name lists exactly the ready pod IPs, and
// web-N.<svc>.<ns>.svc.<zone> resolves to pod web-N's IP.
func ext01(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("EXT-01", &chk).
		Assess("HeadlessNameListsPodsStatefulSetPodsHaveNames", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-ext01")
			labels := map[string]string{"app": "db"}
			svc := kube.Service(ns, "db", "", labels, kube.ServicePort("http", 80, world.ServerPort))
			svc.Spec.ClusterIP = corev1.ClusterIPNone
			world.CreateService(ctx, t, c, svc)
			sts := statefulSet(ns, "db", 2, labels)
			if _, err := c.AppsV1().StatefulSets(ns).Create(ctx, sts, metav1.CreateOptions{}); err != nil {
				verdict.Fatal(t, err)
			}
			pods, err := c.WaitPodsReady(ctx, ns, "app=db", 2, 2*time.Minute)
			if err != nil {
				verdict.Fatal(t, err)
			}
			client := w.Wait(t).AnyClient() // in another namespace: names are namespace-qualified
			zone := world.ClusterDomain(ctx, c)
			var ips []string
			for _, p := range pods {
				ips = append(ips, p.Status.PodIP)
			}
			expect(ctx, t, chk, client, "db."+ns, "A", ips...)
			for _, p := range pods {
				expect(ctx, t, chk, client, fmt.Sprintf("%s.db.%s.svc.%s", p.Name, ns, zone), "A", p.Status.PodIP)
			}
			return ctx
		}).Feature()
}
