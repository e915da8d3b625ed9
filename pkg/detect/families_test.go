package detect

import (
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func famNode(name string, podCIDRs ...string) corev1.Node {
	n := corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if len(podCIDRs) > 0 {
		n.Spec.PodCIDR, n.Spec.PodCIDRs = podCIDRs[0], podCIDRs
	}
	return n
}

func famServiceCIDR(cidrs ...string) networkingv1.ServiceCIDR {
	return networkingv1.ServiceCIDR{ObjectMeta: metav1.ObjectMeta{Name: "kubernetes"}, Spec: networkingv1.ServiceCIDRSpec{CIDRs: cidrs}}
}

func famService(name string, clusterIPs ...string) corev1.Service {
	s := corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if len(clusterIPs) > 0 {
		s.Spec.ClusterIP, s.Spec.ClusterIPs = clusterIPs[0], clusterIPs
	}
	return s
}

func famPod(name string, hostNetwork bool, ips ...string) corev1.Pod {
	p := corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.PodSpec{HostNetwork: hostNetwork}}
	for _, ip := range ips {
		p.Status.PodIPs = append(p.Status.PodIPs, corev1.PodIP{IP: ip})
	}
	if len(ips) > 0 {
		p.Status.PodIP = ips[0]
	}
	return p
}

func TestDetectFamilies(t *testing.T) {
	for _, tc := range []struct {
		name     string
		nodes    []corev1.Node
		ranges   []networkingv1.ServiceCIDR
		services []corev1.Service
		pods     []corev1.Pod
		pods6    bool // pods get IPv6
		pods4    bool
		svc6     bool
		svc4     bool
		ipv6     bool
		note     string // a note that must be present ("" = no notes)
	}{
		{
			name:     "kind, flannel, IPv4 (the suite's default)",
			nodes:    []corev1.Node{famNode("cp", "10.244.0.0/24"), famNode("w1", "10.244.1.0/24")},
			ranges:   []networkingv1.ServiceCIDR{famServiceCIDR("10.96.0.0/16")},
			services: []corev1.Service{famService("kubernetes", "10.96.0.1"), famService("kube-dns", "10.96.0.10")},
			pods:     []corev1.Pod{famPod("coredns", false, "10.244.0.3"), famPod("kube-proxy", true, "172.18.0.2")},
			pods4:    true, svc4: true,
		},
		{
			name:     "kind dual-stack",
			nodes:    []corev1.Node{famNode("cp", "10.244.0.0/24", "fd00:10:244::/64"), famNode("w1", "10.244.1.0/24", "fd00:10:244:1::/64")},
			ranges:   []networkingv1.ServiceCIDR{famServiceCIDR("10.96.0.0/16", "fd00:10:96::/112")},
			services: []corev1.Service{famService("kubernetes", "10.96.0.1"), famService("web", "10.96.4.5", "fd00:10:96::4a1")},
			pods:     []corev1.Pod{famPod("web", false, "10.244.1.5", "fd00:10:244:1::5")},
			pods4:    true, pods6: true, svc4: true, svc6: true, ipv6: true,
		},
		{
			name:     "IPv6 only",
			nodes:    []corev1.Node{famNode("cp", "fd00:10:244::/64")},
			ranges:   []networkingv1.ServiceCIDR{famServiceCIDR("fd00:10:96::/112")},
			services: []corev1.Service{famService("kubernetes", "fd00:10:96::1")},
			pods:     []corev1.Pod{famPod("coredns", false, "fd00:10:244::3"), famPod("etcd", true, "fc00:f853:ccd:e793::2")},
			pods6:    true, svc6: true, ipv6: true,
		},
		{
			// Calico IPAM allocates from IPPools (192.168.0.0/16 and an
			// IPv6 pool); the nodes' podCIDRs, if any, are unused.
			name:     "Calico IPPools, dual-stack, nodes without podCIDRs",
			nodes:    []corev1.Node{famNode("n1"), famNode("n2")},
			ranges:   []networkingv1.ServiceCIDR{famServiceCIDR("10.96.0.0/12", "fd00:96::/108")},
			services: []corev1.Service{famService("kubernetes", "10.96.0.1")},
			pods:     []corev1.Pod{famPod("a", false, "192.168.33.65", "fd5f:3a1c:77ab:8e00:c4a1::1"), famPod("calico-node", true, "10.0.0.4")},
			pods4:    true, pods6: true, svc4: true, svc6: true, ipv6: true,
		},
		{
			name:     "Calico IPv6 pool while the nodes' podCIDRs are IPv4 only",
			nodes:    []corev1.Node{famNode("n1", "10.244.0.0/24")},
			services: []corev1.Service{famService("kubernetes", "10.96.0.1")},
			pods:     []corev1.Pod{famPod("a", false, "192.168.33.65", "fd5f::1")},
			pods4:    true, pods6: true, svc4: true, ipv6: true,
			note: "IPv6 addresses outside the families of the nodes' podCIDRs",
		},
		{
			// Cilium's cluster-pool IPAM keeps its ranges in CiliumNode
			// objects; the Node objects have no podCIDR.
			name:     "Cilium cluster-pool, IPv4",
			nodes:    []corev1.Node{famNode("n1"), famNode("n2")},
			ranges:   []networkingv1.ServiceCIDR{famServiceCIDR("10.96.0.0/16")},
			services: []corev1.Service{famService("kubernetes", "10.96.0.1")},
			pods:     []corev1.Pod{famPod("a", false, "10.0.1.23"), famPod("cilium", true, "fc00::2")},
			pods4:    true, svc4: true,
		},
		{
			name:     "no ServiceCIDR objects (older API server): clusterIPs decide",
			nodes:    []corev1.Node{famNode("n1", "10.244.0.0/24", "fd00::/64")},
			services: []corev1.Service{famService("kubernetes", "10.96.0.1"), famService("dual", "10.96.0.20", "fd00:96::20"), famService("headless", "None")},
			pods:     []corev1.Pod{famPod("a", false, "10.244.0.9", "fd00::9")},
			pods4:    true, pods6: true, svc4: true, svc6: true, ipv6: true,
		},
		{
			// Dual-stack podCIDRs from the controller manager, but a CNI
			// configured for IPv4 only (flannel without EnableIPv6).
			name:     "nodes' podCIDRs dual, the CNI assigns IPv4 only",
			nodes:    []corev1.Node{famNode("n1", "10.244.0.0/24", "fd00:10:244::/64")},
			ranges:   []networkingv1.ServiceCIDR{famServiceCIDR("10.96.0.0/16")},
			services: []corev1.Service{famService("kubernetes", "10.96.0.1")},
			pods:     []corev1.Pod{famPod("a", false, "10.244.0.7")},
			pods4:    true, svc4: true,
			note: "the nodes' podCIDRs include IPv6 but none of 1 pods has an IPv6 address",
		},
		{
			name:   "no pods seen yet: the nodes' podCIDRs decide",
			nodes:  []corev1.Node{famNode("n1", "10.244.0.0/24", "fd00:10:244::/64")},
			ranges: []networkingv1.ServiceCIDR{famServiceCIDR("10.96.0.0/16", "fd00:10:96::/112")},
			pods4:  true, pods6: true, svc4: true, svc6: true, ipv6: true,
		},
		{
			name:     "IPv4-mapped IPv6 and junk are not IPv6",
			nodes:    []corev1.Node{famNode("n1", "not-a-cidr")},
			services: []corev1.Service{famService("kubernetes", "10.96.0.1")},
			pods:     []corev1.Pod{famPod("a", false, "::ffff:10.244.0.7"), famPod("b", false, "garbage")},
			pods4:    true, svc4: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := DetectFamilies(tc.nodes, tc.ranges, tc.services, tc.pods)
			assert.Equal(t, got.PodsHave(IPv4), tc.pods4, "pods IPv4: %s", got.Describe())
			assert.Equal(t, got.PodsHave(IPv6), tc.pods6, "pods IPv6: %s", got.Describe())
			assert.Equal(t, got.ServicesHave(IPv4), tc.svc4, "services IPv4: %s", got.Describe())
			assert.Equal(t, got.ServicesHave(IPv6), tc.svc6, "services IPv6: %s", got.Describe())
			assert.Equal(t, got.IPv6(), tc.ipv6)
			assert.Equal(t, len(got.Sources), 4, "one line per source: %v", got.Sources)
			notes := strings.Join(got.Notes, "\n")
			if tc.note == "" {
				assert.Equal(t, notes, "", "no disagreement expected")
			} else {
				assert.Assert(t, strings.Contains(notes, tc.note), "notes %q, want %q", notes, tc.note)
			}
		})
	}
}

func TestFamiliesDescribe(t *testing.T) {
	c := DetectFamilies([]corev1.Node{famNode("n", "10.244.0.0/24", "fd00::/64")}, []networkingv1.ServiceCIDR{famServiceCIDR("10.96.0.0/16")}, nil, nil)
	assert.Equal(t, c.Describe(), "pods IPv4+IPv6, services IPv4")
	assert.Equal(t, DetectFamilies(nil, nil, nil, nil).Describe(), "pods none, services none")
}
