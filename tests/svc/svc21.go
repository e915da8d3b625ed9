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
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// SVC-21: you could assign the ClusterIP yourself (hard-coded).
// MUST: a Service created with an explicit free clusterIP inside the service
// range gets exactly it; one outside the range (same family), or already
// taken, is rejected with the API's error. Confirmed when all three hold.
// Either family: the first service range may be IPv4 or IPv6.
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
			rng := cidrs[0]
			var chosen string
			for i := 0; i < 5 && chosen == ""; i++ {
				ip := randomIn(rng).String()
				err := mk("fixed", ip)
				if err != nil && strings.Contains(err.Error(), "already allocated") {
					continue
				}
				if err != nil {
					verdict.Fatalf(t, "create service with clusterIP %s: %v", ip, err)
				}
				chosen = ip
			}
			if chosen == "" {
				verdict.Fatalf(t, "5 random addresses in %s were all already allocated", rng)
			}
			got, err := c.CoreV1().Services(ns).Get(ctx, "fixed", metav1.GetOptions{})
			if err != nil {
				verdict.Fatal(t, err)
			}
			chk.Evidence("requested clusterIP %s in %s: got %s", chosen, rng, got.Spec.ClusterIP)
			honoured := got.Spec.ClusterIP == chosen
			if !honoured {
				verdict.Errorf(t, "got clusterIP %s, requested %s", got.Spec.ClusterIP, chosen)
			}
			outside, ok := outsideOf(cidrs, rng.Addr().Is4())
			if !ok {
				verdict.Fatalf(t, "no candidate address outside the service ranges %v", cidrs)
			}
			errOut := mk("outside", outside.String())
			chk.Evidence("requested clusterIP %s (outside %v): %v", outside, cidrs, errOut)
			if errOut == nil {
				verdict.Errorf(t, "clusterIP %s outside the service range was accepted", outside)
			} else if !apierrors.IsInvalid(errOut) {
				verdict.Errorf(t, "clusterIP %s outside the service range: %v, want the API's Invalid error", outside, errOut)
			}
			errTaken := mk("taken", chosen)
			chk.Evidence("requested clusterIP %s again: %v", chosen, errTaken)
			taken := errTaken != nil && strings.Contains(errTaken.Error(), "already allocated")
			if !taken {
				verdict.Errorf(t, "a taken clusterIP was not rejected as already allocated: %v", errTaken)
			}
			if honoured && apierrors.IsInvalid(errOut) && taken {
				chk.Confirm("clusterIP %s requested in %s was given; %s outside the range and %s again were rejected", chosen, rng, outside, chosen)
			}
			return ctx
		}).Feature()
}

// randomIn picks an address inside p, IPv4 or IPv6, away from its first
// two and its last address (network, the Service range's first address
// taken by kubernetes.default, broadcast).
func randomIn(p netip.Prefix) netip.Addr {
	hostBits := p.Addr().BitLen() - p.Bits()
	span := uint64(1) << min(hostBits, 62) // offsets beyond 2^62 are never needed
	return addOffset(p.Masked().Addr(), 2+rand.Uint64N(span-3))
}

// addOffset adds n to a, carrying across bytes, in a's own family.
func addOffset(a netip.Addr, n uint64) netip.Addr {
	b := a.AsSlice()
	for i := len(b) - 1; i >= 0 && n > 0; i-- {
		sum := uint64(b[i]) + n&0xff
		b[i] = byte(sum)
		n = n>>8 + sum>>8
	}
	out, _ := netip.AddrFromSlice(b)
	return out
}

// outsideOf is an address of the given family in none of the ranges: a
// pod-range-like one first, then private ones far from usual service ranges.
func outsideOf(ranges []netip.Prefix, v4 bool) (netip.Addr, bool) {
	candidates := []string{"fd00:10:244:ff::fa", "fdff:ffff::fa", "fd12:3456:789a::fa"}
	if v4 {
		candidates = []string{"10.244.255.250", "172.31.255.250", "192.168.255.250"}
	}
	for _, s := range candidates {
		a := netip.MustParseAddr(s)
		inside := false
		for _, p := range ranges {
			inside = inside || p.Contains(a)
		}
		if !inside {
			return a, true
		}
	}
	return netip.Addr{}, false
}
