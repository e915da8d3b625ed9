package faults

import (
	"context"
	"fmt"

	"github.com/netconform/netconform/pkg/claims"
)

// nodePortRangeDropped drops, on one worker, every packet to one of its
// own addresses in the NodePort range, before connection tracking and
// kube-proxy's NAT see it (raw PREROUTING, and raw OUTPUT for the node's
// own clients). Client ports lie above the range, so replies pass.
type nodePortRangeDropped struct{ iptablesFault }

func (f *nodePortRangeDropped) Name() string { return "nodeport-range-dropped" }
func (f *nodePortRangeDropped) Breaks() []claims.Mechanism {
	return []claims.Mechanism{claims.NodePort}
}

func (f *nodePortRangeDropped) Apply(ctx context.Context) error {
	w, err := f.env.Worker()
	if err != nil {
		return err
	}
	args, err := f.env.apiServerFlags(ctx)
	if err != nil {
		return err
	}
	lo, hi, err := nodePortRange(args)
	if err != nil {
		return err
	}
	var sets []ruleSet
	families := map[string]bool{}
	for _, a := range w.Addresses {
		families[iptablesFor(a)] = true
	}
	for _, cmd := range sortedKeys(families) {
		sets = append(sets, nodePortDrop(cmd, lo, hi))
	}
	return f.install(ctx, map[string][]ruleSet{w.Name: sets})
}

func nodePortDrop(cmd string, lo, hi int) ruleSet {
	rs := ruleSet{Cmd: cmd, Table: "raw", Hooks: []string{"PREROUTING", "OUTPUT"}, Chain: "NC-SELFTEST-NODEPORT"}
	for _, proto := range []string{"tcp", "udp"} {
		rs.Rules = append(rs.Rules, []string{"-p", proto, "-m", "addrtype", "--dst-type", "LOCAL", "--dport", fmt.Sprintf("%d:%d", lo, hi), "-j", "DROP"})
	}
	return rs
}
