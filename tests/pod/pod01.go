//go:build e2e

package pod

import (
	"context"
	"net/netip"
	"testing"

	"github.com/netconform/netconform/pkg/kindcluster"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// POD-01: every pod gets its own IP, taken from the cluster's pod range.
// MUST: status.podIP is set and lies inside its node's spec.podCIDRs (and,
// on a cluster the suite made, inside the cluster pod CIDR).
func pod01(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("POD-01", &chk).
		Assess("EveryPodIPLiesInItsNodesPodCIDR", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			clusterCIDR := netip.MustParsePrefix(kindcluster.PodSubnet)
			members := append([]world.Member{}, w.Servers...)
			for _, c := range w.Clients {
				members = append(members, c)
			}
			for _, m := range members {
				ip, err := netip.ParseAddr(m.IP)
				if err != nil {
					verdict.Fatalf(t, "pod %s has no valid podIP: %q", m.Pod, m.IP)
				}
				node, err := w.C.CoreV1().Nodes().Get(ctx, m.Node, metav1.GetOptions{})
				if err != nil {
					verdict.Fatal(t, err)
				}
				inside := false
				for _, c := range node.Spec.PodCIDRs {
					inside = inside || netip.MustParsePrefix(c).Contains(ip)
				}
				chk.Evidence("pod %s ip=%s node=%s podCIDRs=%v inside=%t", m.Pod, ip, m.Node, node.Spec.PodCIDRs, inside)
				if !inside {
					verdict.Errorf(t, "pod %s IP %s is outside node %s podCIDRs %v", m.Pod, ip, m.Node, node.Spec.PodCIDRs)
				}
				if harnessMadeCluster() && !clusterCIDR.Contains(ip) {
					verdict.Errorf(t, "pod %s IP %s is outside the cluster pod CIDR %s", m.Pod, ip, clusterCIDR)
				}
			}
			return ctx
		}).Feature()
}
