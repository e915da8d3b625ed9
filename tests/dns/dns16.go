//go:build e2e

package dns

import (
	"context"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// DNS-16: document 004 says the service name is a DNS mapping to the pod IPs.
// MUST: a ClusterIP service name resolves to the ClusterIP only, never to pod
// IPs (the document is refuted for ClusterIP services); a headless service
// name resolves to the ready pod IPs (where the claim holds).
func dns16(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-16", &chk).
		Assess("ClusterIPNameHidesPodsHeadlessNameListsThem", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			headless := lookup(ctx, t, chk, f.local, "web-headless", "A")
			if !only(headless.Answers, f.webPodIPs...) {
				verdict.Errorf(t, "headless web-headless resolved to %v, want the ready pod IPs %v", headless.Answers, f.webPodIPs)
			}
			clusterIP := lookup(ctx, t, chk, f.local, "web", "A")
			switch {
			case only(clusterIP.Answers, f.web.Spec.ClusterIP):
				chk.Refute("ClusterIP service web resolves to %s only, not to its pod IPs %v; only the headless web-headless maps to pod IPs", f.web.Spec.ClusterIP, f.webPodIPs)
			case only(clusterIP.Answers, f.webPodIPs...):
				chk.Evidence("the ClusterIP service name resolved to the pod IPs, as document 004 says")
			default:
				verdict.Errorf(t, "web resolved to %v: neither its ClusterIP %s nor its pod IPs %v", clusterIP.Answers, f.web.Spec.ClusterIP, f.webPodIPs)
			}
			return ctx
		}).Feature()
}
