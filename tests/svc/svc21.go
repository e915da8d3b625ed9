//go:build e2e

package svc

import (
	"context"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// SVC-21: you could assign the ClusterIP yourself (hard-coded).
// MUST: a Service created with an explicit free clusterIP inside the service
// range gets exactly it; one outside the range, or already taken, is
// rejected with the API's error.
func svc21() features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-21", &chk).
		Assess("ExplicitClusterIPHonouredOutOfRangeAndTakenRejected", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-svc21")
			cidrs, err := world.ServiceCIDRs(ctx, c)
			if err != nil {
				verdict.Fatal(t, err)
			}
			mk := func(name, ip string) error {
				s := kube.Service(ns, name, "", map[string]string{"app": "none"}, kube.ServicePort("http", 80, 8080))
				s.Spec.ClusterIP = ip
				_, err := c.CoreV1().Services(ns).Create(ctx, s, metav1.CreateOptions{})
				return err
			}
			var chosen string
			for i := 0; i < 5 && chosen == ""; i++ {
				ip := randomIn(cidrs[0])
				err := mk("fixed", ip)
				if err != nil && strings.Contains(err.Error(), "already allocated") {
					continue
				}
				if err != nil {
					verdict.Fatalf(t, "create service with clusterIP %s: %v", ip, err)
				}
				chosen = ip
			}
			got, err := c.CoreV1().Services(ns).Get(ctx, "fixed", metav1.GetOptions{})
			if err != nil {
				verdict.Fatal(t, err)
			}
			chk.Evidence("requested clusterIP %s in %s: got %s", chosen, cidrs[0], got.Spec.ClusterIP)
			if got.Spec.ClusterIP != chosen {
				verdict.Errorf(t, "got clusterIP %s, requested %s", got.Spec.ClusterIP, chosen)
			}
			outside := "10.244.255.250" // in the pod range, not the service range
			if cidrs[0].Contains(netip.MustParseAddr(outside)) {
				outside = "172.31.255.250"
			}
			err = mk("outside", outside)
			chk.Evidence("requested clusterIP %s (outside %v): %v", outside, cidrs, err)
			if err == nil {
				verdict.Errorf(t, "clusterIP %s outside the service range was accepted", outside)
			}
			err = mk("taken", chosen)
			chk.Evidence("requested clusterIP %s again: %v", chosen, err)
			if err == nil || !strings.Contains(err.Error(), "already allocated") {
				verdict.Errorf(t, "a taken clusterIP was not rejected as already allocated: %v", err)
			}
			return ctx
		}).Feature()
}

// randomIn picks an address inside p, away from its first and last addresses.
func randomIn(p netip.Prefix) string {
	a := p.Masked().Addr().As4()
	host := uint32(1)<<(32-p.Bits()) - 2
	n := 2 + rand.Uint32N(host-2)
	v := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3]) + n
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}).String()
}
