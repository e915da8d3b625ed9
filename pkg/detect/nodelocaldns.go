package detect

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// NodeLocal DNSCache (the node-local-dns add-on) runs a CoreDNS cache on
// every node. Pods ask it either at a link-local address that the kubelet
// writes into resolv.conf (kubelet --cluster-dns 169.254.20.10, kubespray's
// 169.254.25.10), or at the kube-dns ClusterIP itself, which the cache also
// binds on each node so that it answers in kube-dns's place (the add-on's
// iptables mode, GKE). Misses for the cluster zone are forwarded to kube-dns,
// directly or through the kube-dns-upstream Service over the same pods.

// Placeholders of the add-on's template that its node-cache binary or the
// installer fills in (nodelocaldns.yaml in kubernetes/cluster/addons).
const (
	pillarLocalDNS   = "__PILLAR__LOCAL__DNS__"   // the link-local address
	pillarDNSServer  = "__PILLAR__DNS__SERVER__"  // the kube-dns ClusterIP
	pillarClusterDNS = "__PILLAR__CLUSTER__DNS__" // the kube-dns-upstream ClusterIP, filled at start
)

// NodeLocalConfigMaps are the names the add-on's ConfigMap (and DaemonSet)
// has in kube-system: upstream's addon and GKE, and kubespray's.
var NodeLocalConfigMaps = []string{"node-local-dns", "nodelocaldns"}

// NodeLocalDNS is what a NodeLocal DNSCache Corefile says about the
// cluster zone.
type NodeLocalDNS struct {
	Binds     []string // addresses its zone block listens on (bind), as written
	Upstreams []string // where its zone block forwards (forward . ...), as written
}

// ParseNodeLocalDNS reads the server block that serves zone (e.g.
// "cluster.local:53 { ... }") in a NodeLocal DNSCache Corefile; ok is false
// when the Corefile has no such block.
func ParseNodeLocalDNS(corefile, zone string) (nl NodeLocalDNS, ok bool) {
	depth, inZone := 0, false
	for _, raw := range strings.Split(corefile, "\n") {
		line := raw
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(strings.NewReplacer("{", " ", "}", " ").Replace(line))
		opens, closes := strings.Count(line, "{"), strings.Count(line, "}")
		switch {
		case depth == 0 && len(fields) > 0:
			inZone = slices.ContainsFunc(fields, func(key string) bool { return blockServes(key, zone) })
			ok = ok || inZone
		case depth == 1 && inZone && len(fields) > 1:
			switch fields[0] {
			case "bind":
				nl.Binds = append(nl.Binds, fields[1:]...)
			case "forward": // forward FROM TO... [{ options }]
				if len(fields) > 2 {
					nl.Upstreams = append(nl.Upstreams, fields[2:]...)
				}
			}
		}
		if depth += opens - closes; depth <= 0 {
			depth, inZone = 0, false
		}
	}
	return nl, ok
}

// blockServes reports whether a server block key ("cluster.local:53",
// "dns://cluster.local.", "__PILLAR__DNS__DOMAIN__:53") names zone.
func blockServes(key, zone string) bool {
	key = strings.TrimPrefix(key, "dns://")
	if host, _, found := strings.Cut(key, ":"); found {
		key = host
	}
	key = strings.TrimSuffix(key, ".")
	return strings.EqualFold(key, strings.TrimSuffix(zone, ".")) || key == "__PILLAR__DNS__DOMAIN__"
}

// PathKind is how a pod's DNS queries reach the cluster DNS.
type PathKind string

const (
	// Direct: the pod's nameserver is the kube-dns ClusterIP, no cache in front.
	Direct PathKind = "direct"
	// NodeLocalIntercept: the pod's nameserver is the kube-dns ClusterIP,
	// which NodeLocal DNSCache binds on each node and answers in its place.
	NodeLocalIntercept PathKind = "nodelocal-intercept"
	// NodeLocalLinkLocal: the pod's nameserver is NodeLocal DNSCache's own
	// (link-local) address; it forwards the cluster zone to kube-dns.
	NodeLocalLinkLocal PathKind = "nodelocal-linklocal"
	// Unexplained: none of these; the claim's judgement is the cluster's.
	Unexplained PathKind = "unexplained"
)

// ResolverPath is the detected path, with the why for the report.
type ResolverPath struct {
	Kind       PathKind
	Nameserver string // the pod's first nameserver
	Why        string
}

// DNSPath decides how a pod with these resolv.conf nameservers reaches
// kube-dns. nl is the NodeLocal DNSCache config found (nil: none);
// kubeDNSIP is kube-system/kube-dns's ClusterIP and upstreamIP the
// kube-dns-upstream Service's ("" where there is none).
func DNSPath(nameservers []string, kubeDNSIP, upstreamIP string, nl *NodeLocalDNS) ResolverPath {
	if len(nameservers) == 0 {
		return ResolverPath{Kind: Unexplained, Why: "the pod's resolv.conf has no nameserver"}
	}
	ns := nameservers[0]
	p := ResolverPath{Nameserver: ns}
	switch {
	case ns == kubeDNSIP && (nl == nil || !nl.binds(ns, kubeDNSIP)):
		p.Kind, p.Why = Direct, fmt.Sprintf("nameserver %s is the ClusterIP of kube-system/kube-dns", ns)
	case nl == nil && linkLocal(ns):
		p.Kind, p.Why = Unexplained, fmt.Sprintf("nameserver %s is link-local, the address of a node-local DNS cache, but no NodeLocal DNSCache config (ConfigMap kube-system/%s) serves the cluster zone", ns, strings.Join(NodeLocalConfigMaps, " or "))
	case nl == nil:
		p.Kind, p.Why = Unexplained, fmt.Sprintf("nameserver %s is neither kube-dns's ClusterIP %s nor a NodeLocal DNSCache address", ns, kubeDNSIP)
	case !nl.binds(ns, kubeDNSIP):
		p.Kind, p.Why = Unexplained, fmt.Sprintf("nameserver %s is neither kube-dns's ClusterIP %s nor an address NodeLocal DNSCache binds (%s)", ns, kubeDNSIP, strings.Join(nl.Binds, " "))
	case !nl.forwardsTo(kubeDNSIP, upstreamIP):
		p.Kind, p.Why = Unexplained, fmt.Sprintf("NodeLocal DNSCache at %s forwards the cluster zone to %s, not to kube-dns (%s)", ns, strings.Join(nl.Upstreams, " "), strings.Join(nonEmpty(kubeDNSIP, upstreamIP), " or "))
	case ns == kubeDNSIP:
		p.Kind, p.Why = NodeLocalIntercept, fmt.Sprintf("nameserver %s is kube-dns's ClusterIP, which NodeLocal DNSCache binds on each node and answers in its place, forwarding the cluster zone to %s", ns, nl.upstreamName(kubeDNSIP, upstreamIP))
	default:
		p.Kind, p.Why = NodeLocalLinkLocal, fmt.Sprintf("nameserver %s is NodeLocal DNSCache on the pod's node, which forwards the cluster zone to %s", ns, nl.upstreamName(kubeDNSIP, upstreamIP))
	}
	return p
}

// binds reports whether the cache listens on ns: a literal bind address,
// or a placeholder that is filled in with such an address.
func (nl *NodeLocalDNS) binds(ns, kubeDNSIP string) bool {
	for _, b := range nl.Binds {
		switch {
		case b == ns:
			return true
		case b == pillarLocalDNS && linkLocal(ns):
			return true
		case b == pillarDNSServer && ns == kubeDNSIP:
			return true
		}
	}
	return false
}

// forwardsTo reports whether the zone goes to kube-dns: its ClusterIP, the
// kube-dns-upstream Service's, or the placeholder filled with the latter.
func (nl *NodeLocalDNS) forwardsTo(kubeDNSIP, upstreamIP string) bool {
	return slices.ContainsFunc(nl.Upstreams, func(u string) bool {
		host := hostOf(u)
		return host == pillarClusterDNS || host == pillarDNSServer || (host != "" && (host == kubeDNSIP || host == upstreamIP))
	})
}

func (nl *NodeLocalDNS) upstreamName(kubeDNSIP, upstreamIP string) string {
	for _, u := range nl.Upstreams {
		switch host := hostOf(u); {
		case host == pillarClusterDNS:
			return "the kube-dns-upstream Service (filled in by node-cache at start)"
		case host == upstreamIP && upstreamIP != "":
			return "the kube-dns-upstream Service " + upstreamIP
		case host == kubeDNSIP || host == pillarDNSServer:
			return "kube-dns " + kubeDNSIP
		}
	}
	return strings.Join(nl.Upstreams, " ")
}

// hostOf strips a forward target's scheme and port: "dns://10.96.0.10:53".
func hostOf(u string) string {
	for _, scheme := range []string{"dns://", "tls://", "grpc://"} {
		u = strings.TrimPrefix(u, scheme)
	}
	if ap, err := netip.ParseAddrPort(u); err == nil {
		return ap.Addr().String()
	}
	return u
}

func linkLocal(ip string) bool {
	a, err := netip.ParseAddr(ip)
	return err == nil && a.IsLinkLocalUnicast()
}

func nonEmpty(s ...string) []string {
	return slices.DeleteFunc(s, func(x string) bool { return x == "" })
}
