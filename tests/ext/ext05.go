//go:build e2e

package ext

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kindcluster"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// EXT-05: NodePort with externalTrafficPolicy Local preserves the client
// source IP and answers only on nodes with a local endpoint.
// MUST (env): one server pod, behind two NodePort Services: "local"
// (externalTrafficPolicy Local) and "cluster" (Cluster). From an observer
// outside the cluster: the endpoint's node answers on local's NodePort and
// the server sees the observer's own address (not a node's or a pod's);
// every other node answers on cluster's NodePort (the positive control: the
// observer reaches that node, whose proxy has programmed this pod) and
// then gives no answer on local's NodePort for world.NotReachableFor, the
// kind of silence (refused, timeout, unreachable) in the evidence. All of
// it: confirmed; anything else, or an observer that cannot run: failed. A
// cluster the suite did not make has no outside observer (not applicable).
func ext05() features.Feature {
	var chk *verdict.Check
	return verdict.Claim("EXT-05", &chk).
		Assess("LocalPolicyKeepsSourceAndSkipsNodesWithoutEndpoints", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			outside := world.Observer(t, chk)
			c, ns := world.OwnNamespace(ctx, t, "nc-ext05")
			workers, err := c.SchedulableNodes(ctx)
			if err != nil {
				verdict.Fatal(t, err)
			}
			all, err := c.ClaimNodes(ctx)
			if err != nil {
				verdict.Fatal(t, err)
			}
			if len(workers) == 0 || len(all) < 2 {
				chk.NotApplicable(t, fmt.Sprintf("%d node(s), %d schedulable: no node without a local endpoint to compare", len(all), len(workers)))
			}
			home := workers[0].Name
			labels := map[string]string{"app": "local"}
			if _, err := c.CreatePodReady(ctx, kube.Pod(ns, "local", labels, home, world.Server([]int32{world.ServerPort})), 2*time.Minute); err != nil {
				verdict.Fatal(t, err)
			}
			nodePort := func(name string, policy corev1.ServiceExternalTrafficPolicy) int32 {
				t.Helper()
				svc := kube.Service(ns, name, corev1.ServiceTypeNodePort, labels, kube.ServicePort("http", 80, world.ServerPort))
				svc.Spec.ExternalTrafficPolicy = policy
				created := world.CreateService(ctx, t, c, svc)
				if err := world.WaitEndpoints(ctx, c, ns, name, 1); err != nil {
					verdict.Fatal(t, err)
				}
				return created.Spec.Ports[0].NodePort
			}
			local := nodePort("local", corev1.ServiceExternalTrafficPolicyLocal)
			cluster := nodePort("cluster", corev1.ServiceExternalTrafficPolicyCluster)
			nodeIP, nodeIPs, podRanges := addresses(all)
			chk.Evidence("pod %s/local on node %s; NodePorts local=%d (Local), cluster=%d (Cluster)", ns, home, local, cluster)

			with := fmt.Sprintf("http://%s:%d/clientip", nodeIP[home], local)
			res := outside.Reach(ctx, t, chk, with, "node "+home+", has the endpoint, policy Local")
			src, _, _ := net.SplitHostPort(strings.TrimSpace(res.Body))
			addr, perr := netip.ParseAddr(src)
			inPods := false
			for _, p := range podRanges {
				inPods = inPods || (perr == nil && p.Contains(addr))
			}
			chk.Evidence("the server behind %s saw source %s (node addresses %v, pod ranges %v)", with, src, sortedSet(nodeIPs), podRanges)
			if perr != nil || nodeIPs[src] || inPods {
				verdict.Errorf(t, "the server saw source %q: a node or pod address, so the client IP was not preserved", src)
			}

			var others []string
			for _, n := range all {
				if n.Name != home && nodeIP[n.Name] != "" {
					others = append(others, n.Name)
				}
			}
			sort.Strings(others)
			var silences []string
			for _, n := range others {
				outside.Reach(ctx, t, chk, fmt.Sprintf("http://%s:%d/hostname", nodeIP[n], cluster), "node "+n+", policy Cluster: the control for this node")
				silent := outside.NeverAnswers(ctx, t, chk, fmt.Sprintf("http://%s:%d/clientip", nodeIP[n], local), "node "+n+", no local endpoint, policy Local")
				silences = append(silences, fmt.Sprintf("%s: %s", n, world.Silence(silent)))
			}
			if !t.Failed() {
				chk.Confirm("node %s (endpoint) answered the outside observer on NodePort %d and saw its address %s; nodes without an endpoint answered NodePort %d (Cluster) but not %d (Local): %s",
					home, local, src, cluster, local, strings.Join(silences, "; "))
			}
			return ctx
		}).Feature()
}

// addresses: each node's IPv4 InternalIP (the outside observer is on the
// node network's IPv4 side), every node address, and the pod ranges (the
// nodes' podCIDRs, and the range of a cluster the suite made).
func addresses(nodes []corev1.Node) (ip map[string]string, all map[string]bool, pods []netip.Prefix) {
	ip, all = map[string]string{}, map[string]bool{}
	pods = []netip.Prefix{netip.MustParsePrefix(kindcluster.PodSubnet)}
	for _, n := range nodes {
		for _, a := range n.Status.Addresses {
			if _, err := netip.ParseAddr(a.Address); err == nil {
				all[a.Address] = true // not the Hostname entries
			}
			if a.Type == corev1.NodeInternalIP && !strings.Contains(a.Address, ":") && ip[n.Name] == "" {
				ip[n.Name] = a.Address
			}
		}
		for _, c := range n.Spec.PodCIDRs {
			if p, err := netip.ParsePrefix(c); err == nil {
				pods = append(pods, p)
			}
		}
	}
	return ip, all, pods
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
