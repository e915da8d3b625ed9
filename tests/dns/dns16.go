//go:build e2e

package dns

import (
	"context"
	"slices"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// DNS-16: document 000 says "K8s internal DNS takes care of mapping service
// name to Pod IPs" (004: "DNS mapping with Pod IP").
// MUST: a headless Service's name resolves to its ready pod IPs, compared
// with the Service's EndpointSlices at the same moment and waited for within
// changeBound of the moment the API last showed a new set (the case where
// the document holds: confirmed for that step); a ClusterIP Service's name
// resolves to the ClusterIP only, never to pod IPs, so the document's
// general statement is refuted. A ClusterIP name that resolved to pod IPs
// is a cluster doing neither what Kubernetes specifies nor, for a Service
// with a ClusterIP, anything a conformant cluster could do: failed.
func dns16(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-16", &chk).
		Setup(f.setup).
		Assess("HeadlessNameResolvesToTheReadyPodIPs", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			eps, ok := followsEndpoints(ctx, t, chk, f.c, f.local, f.ns, "web-headless", "web-headless", f.changeBound())
			if !ok {
				return ctx
			}
			pods, err := world.ReadyPodIPs(ctx, f.c, f.ns, "app=server")
			chk.Evidence("ready pods app=server in %s (API): %v", f.ns, pods)
			switch {
			case err != nil:
				verdict.Errorf(t, "list the ready pods app=server in %s: %v", f.ns, err)
			case !slices.Equal(eps, pods):
				verdict.Errorf(t, "headless web-headless resolved to its EndpointSlices' ready addresses %v, but the ready pods it selects are %v", eps, pods)
			default:
				chk.Confirm("headless web-headless resolves to its ready pod IPs %v, as its EndpointSlices list them", eps)
			}
			return ctx
		}).
		Assess("ClusterIPNameResolvesToTheClusterIPOnly", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			r, ok := resolves(ctx, t, chk, f.local, "web", "A", f.recordBound(), answered)
			if !ok {
				return ctx
			}
			ip := f.web.Spec.ClusterIP
			switch {
			case only(r.Answers, ip):
				chk.Refute("ClusterIP service web resolves to %s only, not to its pod IPs %v; only the headless web-headless maps its name to pod IPs", ip, f.webPodIPs)
			case slices.ContainsFunc(r.Answers, func(a string) bool { return slices.Contains(f.webPodIPs, a) }):
				verdict.Errorf(t, "ClusterIP service web resolved to %v, which includes pod IPs (%v): a Service with a ClusterIP must resolve to %s only", r.Answers, f.webPodIPs, ip)
			default:
				verdict.Errorf(t, "web resolved to %v: neither its ClusterIP %s nor its pod IPs %v", r.Answers, ip, f.webPodIPs)
			}
			return ctx
		}).Feature()
}
