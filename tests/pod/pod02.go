//go:build e2e

package pod

import (
	"context"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// POD-02: pod IPs are unique cluster-wide.
// MUST: no two running, non-hostNetwork pods share an IP, across all nodes.
func pod02(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("POD-02", &chk).
		Assess("NoTwoPodsShareAnIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			pods, err := w.C.CoreV1().Pods("").List(ctx, metav1.ListOptions{FieldSelector: "status.phase=Running"})
			if err != nil {
				verdict.Fatal(t, err)
			}
			owner := map[string]string{}
			nodes := map[string]bool{}
			checked := 0
			for _, p := range pods.Items {
				if p.Spec.HostNetwork || p.Status.PodIP == "" {
					continue
				}
				checked++
				nodes[p.Spec.NodeName] = true
				for _, ip := range p.Status.PodIPs {
					id := p.Namespace + "/" + p.Name
					if prev, dup := owner[ip.IP]; dup {
						verdict.Errorf(t, "pods %s and %s share IP %s", prev, id, ip.IP)
					}
					owner[ip.IP] = id
				}
			}
			chk.Evidence("%d running pod-network pods on %d nodes hold %d distinct IPs", checked, len(nodes), len(owner))
			if checked < len(w.Servers)+len(w.Clients) {
				verdict.Errorf(t, "saw %d pods, fewer than the %d this test made", checked, len(w.Servers)+len(w.Clients))
			}
			return ctx
		}).Feature()
}
