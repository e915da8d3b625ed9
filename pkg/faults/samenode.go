package faults

import (
	"context"
	"fmt"
	"strings"

	"github.com/netconform/netconform/pkg/claims"
)

// sameNodePodTrafficDropped drops, on every node, traffic between two pods
// of that node (filter FORWARD, source and destination in the node's pod
// CIDR). Pods bridged to each other pass FORWARD only with bridge
// netfilter on, so Apply refuses where it is off.
type sameNodePodTrafficDropped struct{ iptablesFault }

func (f *sameNodePodTrafficDropped) Name() string { return "same-node-pod-traffic-dropped" }
func (f *sameNodePodTrafficDropped) Breaks() []claims.Mechanism {
	return []claims.Mechanism{claims.PodNetworkNode}
}

// bridgeSysctl is the switch that sends bridged frames of cmd's family
// through iptables.
var bridgeSysctl = map[string]string{
	"iptables":  "/proc/sys/net/bridge/bridge-nf-call-iptables",
	"ip6tables": "/proc/sys/net/bridge/bridge-nf-call-ip6tables",
}

func (f *sameNodePodTrafficDropped) Apply(ctx context.Context) error {
	dns, err := f.env.dnsPodIPs(ctx)
	if err != nil {
		return err
	}
	plan := map[string][]ruleSet{}
	for _, n := range f.env.Targets() {
		own := byFamily(n.PodCIDRs)
		for _, cmd := range sortedKeys(own) {
			on, err := f.env.Shell.Run(ctx, n.Name, nil, "cat", bridgeSysctl[cmd])
			if err != nil || strings.TrimSpace(on) != "1" {
				return fmt.Errorf("node %s: %s is %q (%v): pods bridged to each other would not pass the rules", n.Name, bridgeSysctl[cmd], strings.TrimSpace(on), err)
			}
			rs := ruleSet{Cmd: cmd, Table: "filter", Hooks: []string{"FORWARD"}, Chain: "NC-SELFTEST-SAME-NODE", Rules: exemptions(cmd, dns, "-s", "-d")}
			for _, s := range own[cmd] {
				for _, d := range own[cmd] {
					rs.Rules = append(rs.Rules, []string{"-s", s.String(), "-d", d.String(), "-j", "DROP"})
				}
			}
			plan[n.Name] = append(plan[n.Name], rs)
		}
	}
	return f.install(ctx, plan)
}
