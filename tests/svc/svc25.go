//go:build e2e

package svc

import (
	"context"
	"fmt"
	"net/netip"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// manualRequests is how many requests must all reach the listed pods.
// With two listed backends picked at random per connection, one is missed
// with probability 2^-59.
const manualRequests = 60

// SVC-25: document 004 says the set of pods a Service targets is
// "(usually)" determined by a label selector.
// MUST: a Service without a selector, with an EndpointSlice made by hand
// that lists two of the world's servers, routes to exactly those: both
// answer, and none of manualRequests requests reaches another server,
// though all of them listen on the port; all manualRequests are answered
// (timed-out tries are tried again, world.Answered: no answer says nothing
// of routing; a refusal, an unreachable address or another server's reply
// is not excused). Confirmed when so.
func svc25(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-25", &chk).
		Assess("SelectorlessServiceRoutesToHandMadeEndpoints", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			listed := w.Servers[:2]
			svc := world.CreateService(ctx, t, w.C, kube.Service(w.NS, "svc25", "", nil, kube.ServicePort("http", 80, world.ServerPort)))
			slice := handMadeSlice(w.NS, "svc25", listed)
			if _, err := w.C.DiscoveryV1().EndpointSlices(w.NS).Create(ctx, slice, metav1.CreateOptions{}); err != nil {
				verdict.Fatalf(t, "create EndpointSlice %s/%s: %v", w.NS, slice.Name, err)
			}
			eps, err := kube.ReadyEndpointIPs(ctx, w.C, w.NS, "svc25")
			if err != nil {
				verdict.Fatal(t, err)
			}
			chk.Evidence("service svc25 without selector; EndpointSlice %s made by hand lists %s (%s) and %s (%s); ready endpoints of svc25: %v",
				slice.Name, listed[0].Pod, listed[0].IP, listed[1].Pod, listed[1].IP, eps)
			client := w.AnyClient()
			url := fmt.Sprintf("http://%s/hostname", svc.Spec.ClusterIP)
			if _, err := world.EveryBackend(ctx, client, url, world.Names(listed), world.ReachBound); err != nil {
				verdict.Fatal(t, err)
			}
			r, err := world.Answered(ctx, client, url, manualRequests)
			if err != nil {
				verdict.Fatalf(t, "probe failure, not the cluster's answer: %v", err)
			}
			world.Evidence(chk, client, url, world.HTTPSummary(r))
			chk.Backends(r.BackendCounts)
			isListed := map[string]bool{listed[0].Pod: true, listed[1].Pod: true}
			others := 0
			for b, n := range r.BackendCounts {
				if !isListed[b] {
					others += n
					verdict.Errorf(t, "%s, not in the EndpointSlice, got %d requests", b, n)
				}
			}
			for _, m := range listed {
				if r.BackendCounts[m.Pod] == 0 {
					verdict.Errorf(t, "listed %s got none of %d requests: %s", m.Pod, r.Tries, world.HTTPSummary(r))
				}
			}
			if r.OK < manualRequests {
				verdict.Errorf(t, "%d of %d requests answered, want %d (timed-out tries were tried again twice): %s", r.OK, r.Tries, manualRequests, world.HTTPSummary(r))
			}
			if others == 0 && r.OK >= manualRequests && r.BackendCounts[listed[0].Pod] > 0 && r.BackendCounts[listed[1].Pod] > 0 {
				chk.Confirm("a Service without a selector sent %d/%d requests to exactly the two pods its hand-made EndpointSlice lists %s; the other %d servers got none",
					r.OK, r.Tries, world.Counts(r.BackendCounts), len(w.Servers)-2)
			}
			return ctx
		}).Feature()
}

// handMadeSlice lists members as ready endpoints of service, on the
// Service's port name; managed-by marks it as not the controller's.
func handMadeSlice(ns, service string, members []world.Member) *discoveryv1.EndpointSlice {
	family := discoveryv1.AddressTypeIPv4
	if a, err := netip.ParseAddr(members[0].IP); err == nil && a.Is6() {
		family = discoveryv1.AddressTypeIPv6
	}
	s := &discoveryv1.EndpointSlice{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: service + "-by-hand", Labels: map[string]string{
			discoveryv1.LabelServiceName: service,
			discoveryv1.LabelManagedBy:   "netconform.io",
		}},
		AddressType: family,
		Ports:       []discoveryv1.EndpointPort{{Name: ptr.To("http"), Port: ptr.To[int32](world.ServerPort), Protocol: ptr.To(corev1.ProtocolTCP)}},
	}
	for _, m := range members {
		s.Endpoints = append(s.Endpoints, discoveryv1.Endpoint{
			Addresses:  []string{m.IP},
			Conditions: discoveryv1.EndpointConditions{Ready: ptr.To(true)},
			NodeName:   ptr.To(m.Node),
		})
	}
	return s
}
