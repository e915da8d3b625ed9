//go:build e2e

package pod

import (
	"context"
	"fmt"
	"net/netip"
	"testing"

	"github.com/netconform/netconform/pkg/detect"
	"github.com/netconform/netconform/pkg/kindcluster"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// POD-01: every pod gets its own IP, taken from the cluster's pod range.
// MUST: each pod of the world (a client on every node, the servers, the
// client in the second namespace) has valid status.podIPs that are its
// own (no node's address, outside the service range) and lie in the
// range the cluster really allocates pod IPs from, as detect.ChoosePodRanges
// reads it: Calico's IPPools where there are any (Calico ignores the
// nodes' podCIDRs), else CiliumNode IPAM, else the pod's node's
// spec.podCIDRs; on a cluster the suite made, also the configured pod
// subnet. Where nothing readable says where pod IPs come from, the range
// is inferred from the pod IPs seen, which proves nothing by itself: the
// verdict then rests on the other checks, and says so. The document and
// Kubernetes agree, so the outcomes are confirmed or failed.
func pod01(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("POD-01", &chk).
		Assess("EveryPodIPIsItsOwnAndInThePodRange", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			nodes, err := w.C.ClaimNodes(ctx)
			if err != nil {
				verdict.Fatal(t, err)
			}
			ranges, err := podRanges(ctx, w.C, nodes)
			if err != nil {
				verdict.Fatal(t, err)
			}
			chk.Evidence("%s", ranges.Describe())
			nodeAddr := map[netip.Addr]string{}
			for _, n := range nodes {
				for _, a := range n.Status.Addresses {
					if ip, err := netip.ParseAddr(a.Address); err == nil {
						nodeAddr[ip] = n.Name
					}
				}
			}
			svcCIDRs, err := world.ServiceCIDRs(ctx, w.C)
			if err != nil {
				chk.Evidence("service range unknown, not judged: %v", err)
			} else {
				chk.Evidence("service range %v: no pod IP may lie in it", svcCIDRs)
			}
			var judged []string
			onNodes := map[string]bool{}
			for _, p := range worldPods(ctx, t, w) {
				if len(p.Status.PodIPs) == 0 {
					verdict.Errorf(t, "pod %s/%s has no status.podIPs", p.Namespace, p.Name)
					continue
				}
				var ips []string
				for _, pip := range p.Status.PodIPs {
					ips = append(ips, pip.IP)
					if problem := judgePodIP(pip.IP, p.Spec.NodeName, ranges, nodeAddr, svcCIDRs); problem != "" {
						verdict.Errorf(t, "pod %s/%s on %s: %s", p.Namespace, p.Name, p.Spec.NodeName, problem)
					}
				}
				chk.Evidence("pod %s/%s node=%s podIPs=%v ranges=%v", p.Namespace, p.Name, p.Spec.NodeName, ips, ranges.For(p.Spec.NodeName))
				judged = append(judged, p.Name)
				onNodes[p.Spec.NodeName] = true
			}
			if t.Failed() {
				return ctx
			}
			how := "inside " + ranges.Source
			if ranges.Inferred {
				how = fmt.Sprintf("in %v, inferred from %s (no IPAM object or node podCIDR is readable, so only ownness was judged)", ranges.Cluster, ranges.Source)
			}
			chk.Confirm("%d pods on %d nodes each hold their own IP (no node's, none in the service range), %s", len(judged), len(onNodes), how)
			return ctx
		}).Feature()
}

// judgePodIP says what is wrong with one pod IP ("" when nothing is).
func judgePodIP(s, node string, ranges detect.PodRanges, nodeAddr map[netip.Addr]string, svcCIDRs []netip.Prefix) string {
	ip, err := netip.ParseAddr(s)
	if err != nil {
		return fmt.Sprintf("podIP %q is not an IP", s)
	}
	if n, ok := nodeAddr[ip]; ok {
		return fmt.Sprintf("IP %s is an address of node %s, not the pod's own", ip, n)
	}
	for _, c := range svcCIDRs {
		if c.Contains(ip) {
			return fmt.Sprintf("IP %s is inside the service range %s", ip, c)
		}
	}
	in := ranges.For(node)
	if !containsAny(in, ip) {
		return fmt.Sprintf("IP %s is outside %v, the ranges of %s for this node", ip, in, ranges.Source)
	}
	if harnessMadeCluster() {
		subnet := netip.MustParsePrefix(kindcluster.PodSubnet)
		if ip.Is6() {
			subnet = netip.MustParsePrefix(kindcluster.PodSubnetV6)
		}
		if !subnet.Contains(ip) {
			return fmt.Sprintf("IP %s is outside the pod subnet %s the suite gave this cluster", ip, subnet)
		}
	}
	return ""
}

func containsAny(ps []netip.Prefix, ip netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// podRanges reads what ChoosePodRanges needs: the IPAM objects the
// cluster has (Calico IPPools, CiliumNodes), the nodes' podCIDRs and
// the IPs of all running pod-network pods.
func podRanges(ctx context.Context, c *kube.Client, nodes []corev1.Node) (detect.PodRanges, error) {
	var o detect.IPAMObjects
	pools, why := listCluster(ctx, c, "crd.projectcalico.org", "v1", "ippools")
	if why == "not served" { // Calico's API server serves them here instead
		pools, why = listCluster(ctx, c, "projectcalico.org", "v3", "ippools")
	}
	if why != "" && why != "not served" {
		o.Notes = append(o.Notes, "Calico IPPools "+why)
	}
	o.CalicoIPPools = pools
	cilium, why := listCluster(ctx, c, "cilium.io", "v2", "ciliumnodes")
	if why != "" && why != "not served" {
		o.Notes = append(o.Notes, "CiliumNodes "+why)
	}
	o.CiliumNodes = cilium
	o.NodePodCIDRs = map[string][]string{}
	for _, n := range nodes {
		cidrs := n.Spec.PodCIDRs
		if len(cidrs) == 0 && n.Spec.PodCIDR != "" {
			cidrs = []string{n.Spec.PodCIDR}
		}
		o.NodePodCIDRs[n.Name] = cidrs
	}
	pods, err := c.CoreV1().Pods("").List(ctx, metav1.ListOptions{FieldSelector: "status.phase=Running"})
	if err != nil {
		return detect.PodRanges{}, fmt.Errorf("list pods: %w", err)
	}
	for _, p := range pods.Items {
		if p.Spec.HostNetwork {
			continue
		}
		for _, pip := range p.Status.PodIPs {
			if ip, err := netip.ParseAddr(pip.IP); err == nil {
				o.PodIPsSeen = append(o.PodIPsSeen, ip)
			}
		}
	}
	return detect.ChoosePodRanges(o), nil
}

// worldPods are the world's pods as the API has them now.
func worldPods(ctx context.Context, t *testing.T, w *world.World) []*corev1.Pod {
	t.Helper()
	var out []*corev1.Pod
	get := func(ns, name string) {
		p, err := world.GetPod(ctx, w.C, ns, name)
		if err != nil {
			verdict.Fatalf(t, "world pod %s/%s: %v", ns, name, err)
		}
		out = append(out, p)
	}
	for _, s := range w.Servers {
		get(w.NS, s.Pod)
	}
	for _, c := range allClients(w) {
		get(w.NS, c.Pod)
	}
	get(w.OtherNS, w.RemoteMember.Pod)
	return out
}
