package detect

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
)

// Where a cluster allocates pod IPs from, as far as its API shows it.
const (
	FromCalicoIPPools = "Calico IPPools"      // cluster-wide pools; Calico's IPAM ignores the nodes' podCIDRs
	FromCiliumNodes   = "CiliumNode IPAM"     // per node: spec.ipam.podCIDRs and multi-pool allocations
	FromNodePodCIDRs  = "the nodes' podCIDRs" // per node: Node spec.podCIDRs (host-local, kindnet, flannel)
	FromPodIPsSeen    = "the pod IPs seen"    // nothing readable: the range is inferred from the cluster's pods
)

// IPAMObjects is what POD-01 reads to decide which ranges pod IPs come
// from. A nil list means "not present or not readable" (Notes says which).
type IPAMObjects struct {
	CalicoIPPools []map[string]any    // crd.projectcalico.org/v1 (or projectcalico.org/v3) IPPool objects
	CiliumNodes   []map[string]any    // cilium.io/v2 CiliumNode objects
	NodePodCIDRs  map[string][]string // node name -> spec.podCIDRs
	PodIPsSeen    []netip.Addr        // IPs of the cluster's pod-network pods
	Notes         []string            // why a source was not used (forbidden, absent)
}

// PodRanges is the answer: the ranges and the source they come from.
type PodRanges struct {
	Source  string
	Cluster []netip.Prefix            // ranges valid on every node (pools, or inferred)
	PerNode map[string][]netip.Prefix // ranges by node
	// Inferred: Cluster was computed from the pod IPs seen, so a pod
	// inside it proves nothing; the claim then judges what can still fail
	// (the IP is the pod's own, not a node's, not a Service's).
	Inferred bool
	Notes    []string
}

// For is the ranges a pod on node must lie in.
func (r PodRanges) For(node string) []netip.Prefix {
	if r.PerNode != nil {
		return r.PerNode[node]
	}
	return r.Cluster
}

// Describe is one line for the report.
func (r PodRanges) Describe() string {
	var parts []string
	if r.PerNode != nil {
		nodes := make([]string, 0, len(r.PerNode))
		for n := range r.PerNode {
			nodes = append(nodes, n)
		}
		sort.Strings(nodes)
		for _, n := range nodes {
			parts = append(parts, fmt.Sprintf("%s %v", n, r.PerNode[n]))
		}
	} else {
		parts = append(parts, fmt.Sprint(r.Cluster))
	}
	s := fmt.Sprintf("pod ranges from %s: %s", r.Source, strings.Join(parts, ", "))
	if len(r.Notes) > 0 {
		s += " (" + strings.Join(r.Notes, "; ") + ")"
	}
	return s
}

// ChoosePodRanges picks the ranges a cluster really allocates pod IPs
// from: Calico's enabled workload IPPools where there are any (Calico
// hands out blocks of its pools and never looks at the nodes' podCIDRs,
// which kube-controller-manager may still set), else Cilium's per-node
// IPAM, else the nodes' podCIDRs when every node has some, else the
// smallest prefix per IP family covering the pod IPs seen.
func ChoosePodRanges(o IPAMObjects) PodRanges {
	notes := append([]string{}, o.Notes...)
	if pools, skipped := CalicoIPPools(o.CalicoIPPools); len(pools) > 0 {
		return PodRanges{Source: FromCalicoIPPools, Cluster: pools, Notes: append(notes, skipped...)}
	} else if len(o.CalicoIPPools) > 0 {
		notes = append(notes, "IPPools exist but none hands out pod IPs: "+strings.Join(skipped, ", "))
	}
	if per := CiliumNodeRanges(o.CiliumNodes); len(per) > 0 {
		return PodRanges{Source: FromCiliumNodes, PerNode: per, Notes: notes}
	}
	if per, ok := nodeRanges(o.NodePodCIDRs); ok {
		return PodRanges{Source: FromNodePodCIDRs, PerNode: per, Notes: notes}
	} else if len(o.NodePodCIDRs) > 0 {
		notes = append(notes, "not every node has spec.podCIDRs")
	}
	return PodRanges{Source: FromPodIPsSeen, Cluster: Covering(o.PodIPsSeen), Inferred: true,
		Notes: append(notes, "no IPAM object or node podCIDR says where pod IPs come from")}
}

// CalicoIPPools returns the CIDRs of the pools Calico allocates pod IPs
// from: not disabled, and allowed for workloads (spec.allowedUses, when
// set, includes "Workload"; LoadBalancer-only pools are for Services).
// skipped names the others, with why.
func CalicoIPPools(items []map[string]any) (pools []netip.Prefix, skipped []string) {
	for _, it := range items {
		name := objString(it, "metadata", "name")
		cidr := objString(it, "spec", "cidr")
		p, err := netip.ParsePrefix(cidr)
		switch {
		case err != nil:
			skipped = append(skipped, fmt.Sprintf("%s: no valid spec.cidr %q", name, cidr))
		case objBool(it, "spec", "disabled"):
			skipped = append(skipped, fmt.Sprintf("%s %s: disabled", name, p))
		case !allowsWorkloads(it):
			skipped = append(skipped, fmt.Sprintf("%s %s: allowedUses %v", name, p, objStrings(it, "spec", "allowedUses")))
		default:
			pools = append(pools, p.Masked())
		}
	}
	return pools, skipped
}

func allowsWorkloads(it map[string]any) bool {
	uses := objStrings(it, "spec", "allowedUses")
	if len(uses) == 0 {
		return true // Calico's default: Workload and Tunnel
	}
	for _, u := range uses {
		if u == "Workload" {
			return true
		}
	}
	return false
}

// CiliumNodeRanges reads the ranges each CiliumNode's IPAM hands out:
// spec.ipam.podCIDRs (cluster-pool and kubernetes modes) and the CIDRs
// allocated to it from multi-pool IPAM pools (spec.ipam.pools.allocated).
func CiliumNodeRanges(items []map[string]any) map[string][]netip.Prefix {
	out := map[string][]netip.Prefix{}
	for _, it := range items {
		name := objString(it, "metadata", "name")
		var cidrs []string
		cidrs = append(cidrs, objStrings(it, "spec", "ipam", "podCIDRs")...)
		if pools, ok := objField(it, "spec", "ipam", "pools").(map[string]any); ok {
			if alloc, ok := pools["allocated"].([]any); ok {
				for _, a := range alloc {
					if m, ok := a.(map[string]any); ok {
						cidrs = append(cidrs, objStrings(m, "cidrs")...)
					}
				}
			}
		}
		for _, c := range cidrs {
			if p, err := netip.ParsePrefix(c); err == nil {
				out[name] = append(out[name], p.Masked())
			}
		}
	}
	return out
}

// nodeRanges parses the nodes' podCIDRs; ok only when every node has one.
func nodeRanges(nodes map[string][]string) (map[string][]netip.Prefix, bool) {
	if len(nodes) == 0 {
		return nil, false
	}
	out := map[string][]netip.Prefix{}
	for n, cidrs := range nodes {
		for _, c := range cidrs {
			if p, err := netip.ParsePrefix(c); err == nil {
				out[n] = append(out[n], p.Masked())
			}
		}
		if len(out[n]) == 0 {
			return nil, false
		}
	}
	return out, true
}

// Covering is the smallest prefix of each IP family that holds all addrs.
func Covering(addrs []netip.Addr) []netip.Prefix {
	var out []netip.Prefix
	for _, v4 := range []bool{true, false} {
		var first netip.Addr
		bits := -1
		for _, a := range addrs {
			a = a.Unmap()
			if a.Is4() != v4 {
				continue
			}
			if bits < 0 {
				first, bits = a, a.BitLen()
				continue
			}
			for bits > 0 && !netip.PrefixFrom(first, bits).Masked().Contains(a) {
				bits--
			}
		}
		if bits >= 0 {
			out = append(out, netip.PrefixFrom(first, bits).Masked())
		}
	}
	return out
}
