package detect

import (
	"fmt"
	"net/netip"
	"strings"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// Family is an IP family, named as Kubernetes names it (corev1.IPFamily).
type Family string

// The two IP families.
const (
	IPv4 Family = "IPv4"
	IPv6 Family = "IPv6"
)

// ClusterFamilies is which IP families a cluster's pods and Services use,
// as its objects show it (EXT-08).
type ClusterFamilies struct {
	// Pods: the families of the pod IPs seen, which is what the CNI really
	// assigns; the nodes' podCIDRs only where no pod IP was seen (a CNI's
	// own IPAM, Calico's or Cilium's cluster pool, leaves them empty or
	// unused).
	Pods []Family
	// Services: the families of the ServiceCIDR objects and of the
	// Services' clusterIPs (clusters older than the ServiceCIDR API have
	// only the latter).
	Services []Family
	Sources  []string // what each source showed, one line each
	Notes    []string // where the sources disagree
}

// PodsHave reports whether pods get addresses of family f.
func (c ClusterFamilies) PodsHave(f Family) bool { return hasFamily(c.Pods, f) }

// ServicesHave reports whether Services get ClusterIPs of family f.
func (c ClusterFamilies) ServicesHave(f Family) bool { return hasFamily(c.Services, f) }

// IPv6 reports whether the cluster uses IPv6 anywhere (pods or Services):
// an IPv6-only or dual-stack cluster, the set-ups EXT-08 is about.
func (c ClusterFamilies) IPv6() bool { return c.PodsHave(IPv6) || c.ServicesHave(IPv6) }

// Describe is one line for the report, e.g. "pods IPv4+IPv6, services IPv4+IPv6".
func (c ClusterFamilies) Describe() string {
	return fmt.Sprintf("pods %s, services %s", familiesString(c.Pods), familiesString(c.Services))
}

// DetectFamilies reads the families from the nodes' spec.podCIDRs, the
// ServiceCIDR objects' spec.cidrs, the Services' clusterIPs and the pods'
// status.podIPs. Pods on the host network are left out: their addresses
// are the node's, not the pod network's. Strings that are not addresses or
// prefixes are ignored (and counted in Sources).
func DetectFamilies(nodes []corev1.Node, serviceCIDRs []networkingv1.ServiceCIDR, services []corev1.Service, pods []corev1.Pod) ClusterFamilies {
	var c ClusterFamilies

	var cidrs []string
	withCIDRs := 0
	for _, n := range nodes {
		got := n.Spec.PodCIDRs
		if len(got) == 0 && n.Spec.PodCIDR != "" {
			got = []string{n.Spec.PodCIDR}
		}
		if len(got) > 0 {
			withCIDRs++
		}
		cidrs = append(cidrs, got...)
	}
	nodeFams, bad := familiesOf(cidrs)
	c.Sources = append(c.Sources, fmt.Sprintf("nodes' podCIDRs: %s (%d of %d nodes have one%s)", familiesString(nodeFams), withCIDRs, len(nodes), ignored(bad)))

	var podIPs []string
	seen := 0
	for _, p := range pods {
		if p.Spec.HostNetwork {
			continue
		}
		ips := make([]string, 0, len(p.Status.PodIPs))
		for _, ip := range p.Status.PodIPs {
			ips = append(ips, ip.IP)
		}
		if len(ips) == 0 && p.Status.PodIP != "" {
			ips = append(ips, p.Status.PodIP)
		}
		if len(ips) > 0 {
			seen++
		}
		podIPs = append(podIPs, ips...)
	}
	podFams, bad := familiesOf(podIPs)
	c.Sources = append(c.Sources, fmt.Sprintf("pod IPs: %s (%d pods on the pod network%s)", familiesString(podFams), seen, ignored(bad)))

	switch {
	case len(podFams) > 0:
		c.Pods = podFams
		for _, f := range nodeFams {
			if !hasFamily(podFams, f) {
				c.Notes = append(c.Notes, fmt.Sprintf("the nodes' podCIDRs include %s but none of %d pods has an %s address: the CNI does not assign that family", f, seen, f))
			}
		}
		for _, f := range podFams {
			if len(nodeFams) > 0 && !hasFamily(nodeFams, f) {
				c.Notes = append(c.Notes, fmt.Sprintf("pods have %s addresses outside the families of the nodes' podCIDRs: the CNI's IPAM does not use them", f))
			}
		}
	default:
		c.Pods = nodeFams
	}

	var ranges []string
	for _, sc := range serviceCIDRs {
		ranges = append(ranges, sc.Spec.CIDRs...)
	}
	rangeFams, bad := familiesOf(ranges)
	if len(serviceCIDRs) == 0 {
		c.Sources = append(c.Sources, "ServiceCIDR objects: none (an API server without them, or not readable)")
	} else {
		c.Sources = append(c.Sources, fmt.Sprintf("ServiceCIDR objects: %s (%v%s)", familiesString(rangeFams), ranges, ignored(bad)))
	}
	var clusterIPs []string
	for _, s := range services {
		ips := s.Spec.ClusterIPs
		if len(ips) == 0 && s.Spec.ClusterIP != "" {
			ips = []string{s.Spec.ClusterIP}
		}
		for _, ip := range ips {
			if ip != corev1.ClusterIPNone {
				clusterIPs = append(clusterIPs, ip)
			}
		}
	}
	ipFams, bad := familiesOf(clusterIPs)
	c.Sources = append(c.Sources, fmt.Sprintf("Services' clusterIPs: %s (%d addresses of %d Services%s)", familiesString(ipFams), len(clusterIPs), len(services), ignored(bad)))
	c.Services = union(rangeFams, ipFams)
	return c
}

// familiesOf returns the families of addresses or prefixes, in the order
// IPv4, IPv6, and how many strings were neither.
func familiesOf(items []string) ([]Family, int) {
	v4, v6, bad := false, false, 0
	for _, s := range items {
		s = strings.TrimSpace(s)
		var a netip.Addr
		if p, err := netip.ParsePrefix(s); err == nil {
			a = p.Addr()
		} else if ip, err := netip.ParseAddr(s); err == nil {
			a = ip
		} else {
			bad++
			continue
		}
		// An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is an IPv4 address.
		if a.Unmap().Is4() {
			v4 = true
		} else {
			v6 = true
		}
	}
	var out []Family
	if v4 {
		out = append(out, IPv4)
	}
	if v6 {
		out = append(out, IPv6)
	}
	return out, bad
}

func union(a, b []Family) []Family {
	var out []Family
	for _, f := range []Family{IPv4, IPv6} {
		if hasFamily(a, f) || hasFamily(b, f) {
			out = append(out, f)
		}
	}
	return out
}

func hasFamily(fs []Family, f Family) bool {
	for _, x := range fs {
		if x == f {
			return true
		}
	}
	return false
}

func familiesString(fs []Family) string {
	if len(fs) == 0 {
		return "none"
	}
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = string(f)
	}
	return strings.Join(parts, "+")
}

func ignored(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("; %d unparsable ignored", n)
}
