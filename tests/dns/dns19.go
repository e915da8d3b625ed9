//go:build e2e

package dns

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// DNS-19: document 002 says CoreDNS "listens for service and endpoint events
// which are triggered when you create, update or delete Kubernetes services
// and their associated pods. When those events occur CoreDNS updates its DNS
// records."
// MUST: a headless Service's A records follow its ready pods: a pod added,
// then a pod removed, shows in the records within changeBound of the moment
// the API's EndpointSlices show it (followsEndpoints). A port renamed in a
// Service update shows in its SRV records within changeBound of the
// EndpointSlices showing the new name: `_<new>._tcp` answers with the
// endpoints' port, and `_<old>._tcp` is NXDOMAIN in every look for
// negativeFor, beside the positive new name from the same client. Its own
// namespace, since it changes pods. Confirmed when all of it is seen.
func dns19(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-19", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			f.dnsFacts(t)
			return ctx
		}).
		Assess("HeadlessRecordsFollowPodsAndPortRenames", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-dns19")
			bound := f.changeBound()
			chk.Evidence("bound %s: watch latency %s + the longer of CoreDNS's cache times (positive %s, negative %s)", bound, watchLatency, f.coredns.CacheSuccess, f.coredns.CacheDenial)
			labels := map[string]string{"app": "pool"}
			svc := kube.Service(ns, "pool", "", labels, kube.ServicePort("http", 80, world.ServerPort))
			svc.Spec.ClusterIP = corev1.ClusterIPNone
			world.CreateService(ctx, t, c, svc)
			server := func(name string) *corev1.Pod {
				return kube.Pod(ns, name, labels, "", steadyServer([]int32{world.ServerPort}))
			}
			started, err := world.CreatePodsReady(ctx, c, []*corev1.Pod{server("pool-0"), server("pool-1"),
				kube.Pod(ns, "client", map[string]string{"role": "client"}, "", kube.PodSpec(kube.IdleContainer("client", harness.Current().ProbeImage)))}, 2*time.Minute)
			if err != nil {
				verdict.Fatal(t, err)
			}
			client := kube.Prober{C: c, NS: ns, Pod: "client", Container: "client", IP: started[2].Status.PodIP}
			name := "pool." + ns + ".svc." + f.zone + "."
			follow := func(step string, want int) []string {
				t.Helper()
				if err := world.WaitEndpoints(ctx, c, ns, "pool", want); err != nil {
					verdict.Fatalf(t, "%s: %v", step, err)
				}
				eps, ok := followsEndpoints(ctx, t, chk, c, client, ns, "pool", name, bound, true)
				if !ok {
					verdict.Fatalf(t, "%s: the A records of %s did not follow the endpoints", step, name)
				}
				return eps
			}
			first := follow("two pods", 2)
			added, err := c.CreatePodReady(ctx, server("pool-2"), 2*time.Minute)
			if err != nil {
				verdict.Fatal(t, err)
			}
			withAdded := follow("pod pool-2 added", 3)
			if !slices.Contains(withAdded, added.Status.PodIP) {
				verdict.Fatalf(t, "pod pool-2 added: records %v lack its IP %s", withAdded, added.Status.PodIP)
			}
			if err := c.CoreV1().Pods(ns).Delete(ctx, "pool-0", metav1.DeleteOptions{}); err != nil {
				verdict.Fatalf(t, "delete pod %s/pool-0: %v", ns, err)
			}
			removed := started[0].Status.PodIP
			withRemoved := follow("pod pool-0 removed", 2)
			if slices.Contains(withRemoved, removed) {
				verdict.Fatalf(t, "pod pool-0 removed: records %v still hold its IP %s", withRemoved, removed)
			}
			chk.Evidence("A %s: %v, then with pool-2 added %v, then with pool-0 (%s) removed %v", name, first, withAdded, removed, withRemoved)
			if renamed := srvFollowsRename(ctx, t, chk, c, client, ns, f.zone, bound, len(withRemoved)); renamed {
				chk.Confirm("the A records of headless %s followed its ready pods (%v, +pool-2 %v, -pool-0 %v), and after the port rename http -> web, _web._tcp answered with port %d while _http._tcp became NXDOMAIN, each within %s of the EndpointSlices' change",
					name, first, withAdded, withRemoved, world.ServerPort, bound)
			}
			return ctx
		}).Feature()
}

// srvFollowsRename checks the SRV record of pool's port "http", renames
// the port to "web", waits for the EndpointSlices to show the new name
// (API), and then for `_web._tcp` to answer with endpoints SRV records on
// world.ServerPort and `_http._tcp` to be NXDOMAIN, within bound of that.
func srvFollowsRename(ctx context.Context, t *testing.T, chk *verdict.Check, c *kube.Client, client kube.Prober, ns, zone string, bound time.Duration, endpoints int) bool {
	t.Helper()
	srv := func(port string) string { return "_" + port + "._tcp.pool." + ns + ".svc." + zone + "." }
	onPort := func(r probe.DNSResult) bool {
		if len(r.Answers) != endpoints {
			return false
		}
		for _, a := range r.Answers {
			if f := strings.Fields(a); len(f) != 4 || f[2] != fmt.Sprint(world.ServerPort) {
				return false
			}
		}
		return true
	}
	if _, ok := resolves(ctx, t, chk, client, srv("http"), "SRV", bound, onPort); !ok {
		verdict.Fatalf(t, "before the rename, %s did not list the %d endpoints on port %d", srv("http"), endpoints, world.ServerPort)
	}
	svc, err := c.CoreV1().Services(ns).Get(ctx, "pool", metav1.GetOptions{})
	if err != nil {
		verdict.Fatal(t, err)
	}
	svc.Spec.Ports[0].Name = "web"
	if _, err := c.CoreV1().Services(ns).Update(ctx, svc, metav1.UpdateOptions{}); err != nil {
		verdict.Fatalf(t, "rename port http -> web of service %s/pool: %v", ns, err)
	}
	err = kube.WaitFor(ctx, "EndpointSlices of "+ns+"/pool with the port named web", time.Minute, func(ctx context.Context) (kube.Observation, error) {
		names, err := slicePortNames(ctx, c, ns, "pool")
		return kube.Observation{Done: err == nil && slices.Equal(names, []string{"web"}), Seen: fmt.Sprintf("port names %v", names)}, err
	})
	if err != nil {
		verdict.Fatal(t, err)
	}
	chk.Evidence("service %s/pool: port http renamed web; its EndpointSlices show it", ns)
	clk := startClock()
	var r probe.DNSResult
	w, err := convergeFrom(ctx, srv("web")+" after the rename", bound, clk, dnsLook(client, srv("web"), "SRV", nil, &r, onPort))
	if err == nil {
		err = w.inTime(srv("web")+" after the rename", bound)
	}
	chk.Evidence("%s -> SRV %s = %s (%s)", client, srv("web"), dnsSummary(r), w)
	if err != nil {
		verdict.Errorf(t, "%v", err)
		return false
	}
	w, err = convergeFrom(ctx, srv("http")+" gone after the rename", bound, clk, dnsLook(client, srv("http"), "SRV", nil, &r, func(r probe.DNSResult) bool {
		return r.RCode == "NXDOMAIN" && len(r.Answers) == 0
	}))
	if err == nil {
		err = w.inTime(srv("http")+" gone after the rename", bound)
	}
	chk.Evidence("%s -> SRV %s = %s (%s)", client, srv("http"), dnsSummary(r), w)
	if err != nil {
		verdict.Errorf(t, "%v", err)
		return false
	}
	n, err := nxdomain(ctx, t, chk, client, srv("http"), "SRV")
	switch {
	case err != nil:
		verdict.Errorf(t, "%v", err)
		return false
	case n.other != nil:
		verdict.Errorf(t, "after the rename, %s answered again: %s", srv("http"), dnsSummary(*n.other))
		return false
	}
	return true
}

// slicePortNames lists the port names of a Service's EndpointSlices.
func slicePortNames(ctx context.Context, c *kube.Client, ns, svc string) ([]string, error) {
	list, err := c.DiscoveryV1().EndpointSlices(ns).List(ctx, metav1.ListOptions{LabelSelector: discoveryv1.LabelServiceName + "=" + svc})
	if err != nil {
		return nil, err
	}
	var names []string
	for _, s := range list.Items {
		for _, p := range s.Ports {
			if p.Name != nil && !slices.Contains(names, *p.Name) {
				names = append(names, *p.Name)
			}
		}
	}
	slices.Sort(names)
	return names, nil
}
