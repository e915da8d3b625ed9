//go:build e2e

package ext

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/detect"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// EXT-08: IPv6 and dual-stack clusters: the same claims per IP family.
// MUST (env): the cluster's families are detected from the nodes'
// podCIDRs, the ServiceCIDR objects, the Services' clusterIPs and the pod
// IPs (detect.DetectFamilies); with no IPv6 anywhere the claim is not
// applicable (single-stack IPv4, with what each source showed). Otherwise,
// for every family the cluster has: the server pod has an address of that
// family, and a client pod on another node reaches it there (the pod's own
// IPv6 address, not only a Service's); a PreferDualStack Service gets a
// ClusterIP of that family, the client reaches it, and the Service's name
// answers it (A, AAAA); each within world.ReachBound. All of it: confirmed;
// a missing address or no answer in any family: failed.
func ext08() features.Feature {
	var chk *verdict.Check
	return verdict.Claim("EXT-08", &chk).
		Assess("EveryIPFamilyWorksForPodsAndServices", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c := world.Client()
			fam, err := clusterFamilies(ctx, c)
			if err != nil {
				verdict.Fatal(t, err)
			}
			for _, s := range fam.Sources {
				chk.Evidence("families: %s", s)
			}
			for _, n := range fam.Notes {
				chk.Evidence("families: note: %s", n)
			}
			if !fam.IPv6() {
				chk.NotApplicable(t, fmt.Sprintf("single-stack IPv4 cluster (%s): %s", fam.Describe(), strings.Join(fam.Sources, "; ")))
			}
			chk.Evidence("detected %s", fam.Describe())

			_, ns := world.OwnNamespace(ctx, t, "nc-ext08")
			server, clientPod, client := placePair(ctx, t, c, ns)
			chk.Evidence("server %s on %s, IPs %v; client %s on %s, IPs %v", server.Name, server.Spec.NodeName, podIPs(server), clientPod.Name, clientPod.Spec.NodeName, podIPs(clientPod))
			policy := corev1.IPFamilyPolicyPreferDualStack
			svc := kube.Service(ns, "families", "", map[string]string{"app": "families"}, kube.ServicePort("http", 80, world.ServerPort))
			svc.Spec.IPFamilyPolicy = &policy
			created := world.CreateService(ctx, t, c, svc)
			chk.Evidence("service %s/families (PreferDualStack): ipFamilies %v, clusterIPs %v", ns, created.Spec.IPFamilies, created.Spec.ClusterIPs)
			if err := world.WaitEndpoints(ctx, c, ns, created.Name, len(created.Spec.ClusterIPs)); err != nil {
				verdict.Fatal(t, err) // one ready address per family's EndpointSlice
			}
			fqdn := fmt.Sprintf("families.%s.svc.%s", ns, world.ClusterDomain(ctx, c))

			var done []string
			for _, f := range []detect.Family{detect.IPv4, detect.IPv6} {
				if fam.PodsHave(f) {
					ip := ofFamily(podIPs(server), f)
					if ip == "" {
						verdict.Errorf(t, "pods get %s addresses on this cluster, but pod %s has only %v", f, server.Name, podIPs(server))
					} else if ofFamily(podIPs(clientPod), f) == "" {
						verdict.Errorf(t, "pods get %s addresses on this cluster, but client %s has none", f, client.Pod)
					} else if reachedBy(ctx, t, chk, client, server.Name, "http://"+net.JoinHostPort(ip, fmt.Sprint(world.ServerPort))+"/hostname", string(f)+" pod address") {
						done = append(done, fmt.Sprintf("%s pod IP %s", f, ip))
					}
				}
				if fam.ServicesHave(f) {
					ip := ofFamily(created.Spec.ClusterIPs, f)
					switch {
					case ip == "":
						verdict.Errorf(t, "Services get %s ClusterIPs on this cluster, but the PreferDualStack Service got only %v", f, created.Spec.ClusterIPs)
					case !fam.PodsHave(f):
						verdict.Errorf(t, "Services get %s ClusterIPs (%s) but no pod has an %s address to use them", f, ip, f)
					case reachedBy(ctx, t, chk, client, server.Name, "http://"+net.JoinHostPort(ip, "80")+"/hostname", string(f)+" ClusterIP"):
						qtype := map[detect.Family]string{detect.IPv4: "A", detect.IPv6: "AAAA"}[f]
						expect(ctx, t, chk, client, fqdn, qtype, ip)
						done = append(done, fmt.Sprintf("%s ClusterIP %s (and %s %s)", f, ip, qtype, fqdn))
					}
				}
			}
			if !t.Failed() {
				chk.Confirm("on a cluster with %s, client %s (another node) reached: %s", fam.Describe(), client.Pod, strings.Join(done, "; "))
			}
			return ctx
		}).Feature()
}

// clusterFamilies reads what detect.DetectFamilies needs. ServiceCIDR
// objects an API server does not serve (or forbids) are simply absent:
// the Services' clusterIPs still say which families they have.
func clusterFamilies(ctx context.Context, c *kube.Client) (detect.ClusterFamilies, error) {
	nodes, err := c.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return detect.ClusterFamilies{}, fmt.Errorf("list nodes: %w", err)
	}
	var ranges []networkingv1.ServiceCIDR
	if list, err := c.NetworkingV1().ServiceCIDRs().List(ctx, metav1.ListOptions{}); err == nil {
		ranges = list.Items
	}
	svcs, err := c.CoreV1().Services("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return detect.ClusterFamilies{}, fmt.Errorf("list services: %w", err)
	}
	pods, err := c.CoreV1().Pods("").List(ctx, metav1.ListOptions{FieldSelector: "status.phase=Running"})
	if err != nil {
		return detect.ClusterFamilies{}, fmt.Errorf("list pods: %w", err)
	}
	return detect.DetectFamilies(nodes.Items, ranges, svcs.Items, pods.Items), nil
}

// placePair starts a server on the first schedulable node and a client on
// another one (the same node only on a one-node cluster).
func placePair(ctx context.Context, t *testing.T, c *kube.Client, ns string) (server, client *corev1.Pod, p kube.Prober) {
	t.Helper()
	nodes, err := c.SchedulableNodes(ctx)
	if err != nil || len(nodes) == 0 {
		verdict.Fatalf(t, "no schedulable node: %v", err)
	}
	server, err = c.CreatePodReady(ctx, kube.Pod(ns, "server", map[string]string{"app": "families"}, nodes[0].Name, world.Server([]int32{world.ServerPort})), 2*time.Minute)
	if err != nil {
		verdict.Fatal(t, err)
	}
	p = world.StartClient(ctx, t, c, ns, "client", nodes[len(nodes)-1].Name)
	if client, err = world.GetPod(ctx, c, ns, p.Pod); err != nil {
		verdict.Fatal(t, err)
	}
	return server, client, p
}

// reachedBy polls url from p until the pod named backend answers (within
// world.ReachBound) and reports whether it did; a failure fails t.
func reachedBy(ctx context.Context, t *testing.T, chk *verdict.Check, p kube.Prober, backend, url, what string) bool {
	t.Helper()
	r, err := world.WaitHTTP(ctx, p, url, world.ReachBound)
	world.Evidence(chk, p, url+" ("+what+")", world.HTTPSummary(r))
	switch {
	case err != nil:
		verdict.Errorf(t, "%s %s: %v", what, url, err)
	case r.BackendCounts[backend] != 1:
		verdict.Errorf(t, "%s %s answered by %v, want %s", what, url, r.BackendCounts, backend)
	default:
		return true
	}
	return false
}

func podIPs(p *corev1.Pod) []string {
	var out []string
	for _, ip := range p.Status.PodIPs {
		out = append(out, ip.IP)
	}
	if len(out) == 0 && p.Status.PodIP != "" {
		out = append(out, p.Status.PodIP)
	}
	return out
}

// ofFamily is the first address of family f in ips ("" if none).
func ofFamily(ips []string, f detect.Family) string {
	for _, ip := range ips {
		if a := net.ParseIP(ip); a != nil && (a.To4() == nil) == (f == detect.IPv6) {
			return ip
		}
	}
	return ""
}
