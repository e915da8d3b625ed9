package faults

import (
	"context"
	"net/netip"
	"strings"
)

// ownedInPodRanges lists, per node, the node's own addresses that lie in
// a pod CIDR (a bridge's gateway, flannel's VXLAN address): traffic from or
// to them is the node's, not a pod's, and pod faults exempt it.
func (e *Env) ownedInPodRanges(ctx context.Context) (map[string][]netip.Addr, error) {
	var ranges []netip.Prefix
	for _, n := range e.Nodes {
		ranges = append(ranges, n.PodCIDRs...)
	}
	out := map[string][]netip.Addr{}
	for _, n := range e.Nodes {
		addrs, err := e.Shell.Run(ctx, n.Name, nil, "ip", "-o", "addr", "show")
		if err != nil {
			return nil, err
		}
		out[n.Name] = addrsIn(addrs, ranges)
	}
	return out, nil
}

// addrsIn parses `ip -o addr show` and keeps the addresses inside ranges.
func addrsIn(ipAddrShow string, ranges []netip.Prefix) []netip.Addr {
	var out []netip.Addr
	for _, line := range strings.Split(ipAddrShow, "\n") {
		f := strings.Fields(line)
		for i := 0; i+1 < len(f); i++ {
			if f[i] != "inet" && f[i] != "inet6" {
				continue
			}
			p, err := netip.ParsePrefix(f[i+1])
			if err != nil {
				continue
			}
			for _, r := range ranges {
				if r.Contains(p.Addr()) {
					out = append(out, p.Addr())
					break
				}
			}
		}
	}
	return out
}

// exemptions are RETURN rules, first in a chain, for the node-owned
// addresses of cmd's family, matched as each of dirs ("-s", "-d").
func exemptions(cmd string, owned []netip.Addr, dirs ...string) [][]string {
	var rules [][]string
	for _, a := range owned {
		if iptablesFor(a) != cmd {
			continue
		}
		for _, d := range dirs {
			rules = append(rules, []string{d, netip.PrefixFrom(a, a.BitLen()).String(), "-j", "RETURN"})
		}
	}
	return rules
}

// ownedElsewhere is every node's owned addresses but node's.
func ownedElsewhere(owned map[string][]netip.Addr, node string) []netip.Addr {
	var out []netip.Addr
	for _, n := range sortedKeys(owned) {
		if n != node {
			out = append(out, owned[n]...)
		}
	}
	return out
}

// onOneWorker installs, on the fault's worker only, the rule sets rules
// makes for it, given the addresses other nodes own inside pod ranges
// (a VXLAN device's: node traffic the pod-network faults must let pass).
func (f *iptablesFault) onOneWorker(ctx context.Context, rules func(w Node, exempt []netip.Addr) []ruleSet) error {
	w, err := f.env.Worker()
	if err != nil {
		return err
	}
	owned, err := f.env.ownedInPodRanges(ctx)
	if err != nil {
		return err
	}
	return f.install(ctx, map[string][]ruleSet{w.Name: rules(w, ownedElsewhere(owned, w.Name))})
}
