//go:build e2e

package dns

import (
	"context"
	"slices"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// DNS-16: document 000 says "K8s internal DNS takes care of mapping service
// name to Pod IPs" (004: "DNS mapping with Pod IP").
// MUST: a headless Service's name resolves to its ready pod IPs: the ready
// addresses of its EndpointSlices read just before each query, waited for
// within changeBound of the moment the API last showed a new set, each the
// IP of a pod it selects (the case where the document holds: confirmed for
// that step). A ClusterIP Service's name resolves to the ClusterIP only,
// never to pod IPs, so the document's general statement is refuted. A
// ClusterIP name that resolved to pod IPs is what no conformant cluster
// does for a Service with a ClusterIP, so that branch is failed, not a
// confirmation of the document.
func dns16(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-16", &chk).
		Setup(f.setup).
		Assess("HeadlessNameResolvesToTheReadyPodIPs", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			eps, ok := followsEndpoints(ctx, t, chk, f.c, f.local, f.ns, "web-headless", "web-headless", f.changeBound(), false)
			if !ok {
				return ctx
			}
			// The EndpointSlices are the API's word on which pods are ready
			// (readiness can flap on a busy machine, so a pod list read at
			// another moment may differ); each address must be one of the
			// pods the Service selects.
			pods, err := selectedPodIPs(ctx, f.c, f.ns, "app=server")
			chk.Evidence("pods app=server in %s (API): %v", f.ns, pods)
			stray := slices.DeleteFunc(slices.Clone(eps), func(ip string) bool { return slices.Contains(pods, ip) })
			switch {
			case err != nil:
				verdict.Errorf(t, "list the pods app=server in %s: %v", f.ns, err)
			case len(stray) > 0:
				verdict.Errorf(t, "headless web-headless resolved to %v, of which %v are not IPs of the pods it selects (%v)", eps, stray, pods)
			default:
				chk.Confirm("headless web-headless resolves to its ready pod IPs %v, as its EndpointSlices list them at the same moment", eps)
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

// selectedPodIPs lists the IPs of the pods matching selector, ready or not.
func selectedPodIPs(ctx context.Context, c *kube.Client, ns, selector string) ([]string, error) {
	pods, err := c.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		return nil, err
	}
	var ips []string
	for _, p := range pods.Items {
		if p.Status.PodIP != "" {
			ips = append(ips, p.Status.PodIP)
		}
	}
	slices.Sort(ips)
	return ips, nil
}
