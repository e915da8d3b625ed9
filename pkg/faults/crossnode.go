package faults

import (
	"context"
	"net/netip"

	"github.com/netconform/netconform/pkg/claims"
)

// crossNodePodTrafficDropped drops, on one worker, traffic between its pods
// and the pods of every other node, both ways (filter FORWARD). Addresses
// the other nodes own inside pod CIDRs (a VXLAN device's) are exempt: that
// traffic is a node's, not a pod's.
type crossNodePodTrafficDropped struct{ iptablesFault }

func (f *crossNodePodTrafficDropped) Name() string { return "cross-node-pod-traffic-dropped" }
func (f *crossNodePodTrafficDropped) Breaks() []claims.Mechanism {
	return []claims.Mechanism{claims.PodNetworkCross}
}

func (f *crossNodePodTrafficDropped) Apply(ctx context.Context) error {
	dns, err := f.env.dnsPodIPs(ctx)
	if err != nil {
		return err
	}
	return f.onOneWorker(ctx, func(w Node, exempt []netip.Addr) []ruleSet {
		exempt = append(exempt, dns...)
		own, others := byFamily(w.PodCIDRs), byFamily(f.env.PodCIDRsExcept(w.Name))
		var sets []ruleSet
		for _, cmd := range sortedKeys(own) {
			rs := ruleSet{Cmd: cmd, Table: "filter", Hooks: []string{"FORWARD"}, Chain: "NC-SELFTEST-CROSS-NODE",
				Rules: exemptions(cmd, exempt, "-s", "-d")}
			for _, s := range own[cmd] {
				for _, d := range others[cmd] {
					rs.Rules = append(rs.Rules,
						[]string{"-s", s.String(), "-d", d.String(), "-j", "DROP"},
						[]string{"-s", d.String(), "-d", s.String(), "-j", "DROP"})
				}
			}
			sets = append(sets, rs)
		}
		return sets
	})
}
