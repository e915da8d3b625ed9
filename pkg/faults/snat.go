package faults

import (
	"context"
	"net/netip"

	"github.com/netconform/netconform/pkg/claims"
)

// podTrafficSNAT makes every node rewrite the source of pod-to-pod
// connections to its own address (MASQUERADE first in nat POSTROUTING,
// ahead of kube-proxy's and the CNI's rules): pods still reach each other,
// but not as themselves.
type podTrafficSNAT struct{ iptablesFault }

func (f *podTrafficSNAT) Name() string               { return "pod-to-pod-snat" }
func (f *podTrafficSNAT) Breaks() []claims.Mechanism { return []claims.Mechanism{claims.PodSourceIP} }

func (f *podTrafficSNAT) Apply(ctx context.Context) error {
	var all []netip.Prefix
	for _, n := range f.env.Nodes {
		all = append(all, n.PodCIDRs...)
	}
	dsts := byFamily(all)
	plan := map[string][]ruleSet{}
	for _, n := range f.env.Targets() {
		own := byFamily(n.PodCIDRs)
		for _, cmd := range sortedKeys(own) {
			rs := ruleSet{Cmd: cmd, Table: "nat", Hooks: []string{"POSTROUTING"}, Chain: "NC-SELFTEST-SNAT"}
			for _, s := range own[cmd] {
				for _, d := range dsts[cmd] {
					rs.Rules = append(rs.Rules, []string{"-s", s.String(), "-d", d.String(), "-j", "MASQUERADE"})
				}
			}
			plan[n.Name] = append(plan[n.Name], rs)
		}
	}
	return f.install(ctx, plan)
}
