package faults

import (
	"context"
	"net/netip"

	"github.com/netconform/netconform/pkg/claims"
)

// nodeToRemotePodsDropped stops one worker's own network namespace (host
// processes and host-network pods) from opening connections to pods on
// other nodes (filter OUTPUT, new connections only). Its pods' traffic is
// forwarded, not output, so it passes; so does the kubelet's probing of
// its own pods, and replies to connections others opened.
type nodeToRemotePodsDropped struct{ iptablesFault }

func (f *nodeToRemotePodsDropped) Name() string { return "node-to-remote-pods-dropped" }
func (f *nodeToRemotePodsDropped) Breaks() []claims.Mechanism {
	return []claims.Mechanism{claims.NodeToPod}
}

func (f *nodeToRemotePodsDropped) Apply(ctx context.Context) error {
	return f.onOneWorker(ctx, func(w Node, exempt []netip.Addr) []ruleSet {
		others := byFamily(f.env.PodCIDRsExcept(w.Name))
		var sets []ruleSet
		for _, cmd := range sortedKeys(others) {
			// Only destinations are exempt: with VXLAN this node's own address
			// in its pod CIDR is the source of what it sends to remote pods.
			rs := ruleSet{Cmd: cmd, Table: "filter", Hooks: []string{"OUTPUT"}, Chain: "NC-SELFTEST-NODE-TO-POD",
				Rules: exemptions(cmd, exempt, "-d")}
			for _, d := range others[cmd] {
				rs.Rules = append(rs.Rules, []string{"-m", "conntrack", "--ctstate", "NEW", "-d", d.String(), "-j", "DROP"})
			}
			sets = append(sets, rs)
		}
		return sets
	})
}
