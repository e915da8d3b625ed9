package faults

import (
	"context"
	"fmt"
	"net/netip"
	"sort"
	"strings"
)

// Marker is the comment on every rule a fault inserts into a built-in
// chain, so a person (or a later run) can find what the self-test added.
const Marker = "netconform-selftest"

// ruleSet is a fault's iptables rules in one table of one node: a chain of
// its own, jumped to from the top of built-in chains by a rule carrying
// Marker. Reverting deletes the jumps and the chain, nothing else.
type ruleSet struct {
	Cmd   string // iptables or ip6tables
	Table string // filter, nat, raw
	Hooks []string
	Chain string // at most 28 characters
	Rules [][]string
}

func (r ruleSet) jump() []string {
	return []string{"-m", "comment", "--comment", Marker, "-j", r.Chain}
}

// applyCmds are the commands that install the rules, in order.
func (r ruleSet) applyCmds() [][]string {
	base := []string{r.Cmd, "-w", "-t", r.Table}
	cmds := [][]string{append(clone(base), "-N", r.Chain)}
	for _, rule := range r.Rules {
		cmds = append(cmds, append(append(clone(base), "-A", r.Chain), rule...))
	}
	for _, h := range r.Hooks {
		cmds = append(cmds, append(append(clone(base), "-I", h, "1"), r.jump()...))
	}
	return cmds
}

// revertScript removes the jumps (every copy) and the chain; it succeeds
// when there is nothing to remove, so it also clears an interrupted run's.
func (r ruleSet) revertScript() string {
	ipt := fmt.Sprintf("%s -w -t %s", r.Cmd, r.Table)
	var b strings.Builder
	for _, h := range r.Hooks {
		jump := strings.Join(r.jump(), " ")
		fmt.Fprintf(&b, "while %s -C %s %s 2>/dev/null; do %s -D %s %s || exit 1; done; ", ipt, h, jump, ipt, h, jump)
	}
	fmt.Fprintf(&b, "if %s -S %s >/dev/null 2>&1; then %s -F %s && %s -X %s; fi", ipt, r.Chain, ipt, r.Chain, ipt, r.Chain)
	return b.String()
}

// observe reads `iptables -t <table> -S`: in effect when every hook's
// first rule is the jump and the chain holds every rule; gone when neither
// the chain nor a jump to it is there.
func (r ruleSet) observe(rules string) (inEffect, gone bool, seen string) {
	first := map[string]string{}
	count, jumps, declared := 0, 0, false
	for _, line := range strings.Split(rules, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) >= 2 && f[0] == "-N" && f[1] == r.Chain:
			declared = true
		case len(f) >= 2 && f[0] == "-A" && f[1] == r.Chain:
			count++
		case len(f) >= 2 && f[0] == "-A":
			if _, ok := first[f[1]]; !ok {
				first[f[1]] = strings.Join(f[2:], " ")
			}
			if strings.HasSuffix(line, "-j "+r.Chain) {
				jumps++
			}
		}
	}
	want := strings.Join(r.jump(), " ")
	inEffect = declared && count == len(r.Rules)
	var firstSeen []string
	for _, h := range r.Hooks {
		inEffect = inEffect && first[h] == want
		firstSeen = append(firstSeen, fmt.Sprintf("%s starts with %q", h, first[h]))
	}
	seen = fmt.Sprintf("%s %s: chain %s declared %t with %d/%d rules; %s", r.Cmd, r.Table, r.Chain, declared, count, len(r.Rules), strings.Join(firstSeen, "; "))
	return inEffect, !declared && jumps == 0, seen
}

func clone(s []string) []string { return append([]string(nil), s...) }

// iptablesFault is the bookkeeping shared by faults made of rule sets:
// what it installed on which node, so Revert removes exactly that.
type iptablesFault struct {
	env     *Env
	applied map[string][]ruleSet // by node
}

// install clears leftovers of the same rule sets, then adds them.
func (f *iptablesFault) install(ctx context.Context, plan map[string][]ruleSet) error {
	if f.applied == nil {
		f.applied = map[string][]ruleSet{}
	}
	for _, node := range sortedKeys(plan) {
		for _, rs := range plan[node] {
			f.applied[node] = append(f.applied[node], rs) // recorded first: a half-made set is reverted too
			if _, err := sh(ctx, f.env.Shell, node, rs.revertScript()); err != nil {
				return fmt.Errorf("node %s: clear leftovers of %s: %w", node, rs.Chain, err)
			}
			for _, cmd := range rs.applyCmds() {
				if _, err := f.env.Shell.Run(ctx, node, nil, cmd...); err != nil {
					return fmt.Errorf("node %s: %w", node, err)
				}
			}
			f.env.logf("node %s: %s %s: %d rules in %s, jumped to from %s", node, rs.Cmd, rs.Table, len(rs.Rules), rs.Chain, strings.Join(rs.Hooks, ", "))
		}
	}
	return nil
}

// InEffect implements Fault for every rule-set fault.
func (f *iptablesFault) InEffect(ctx context.Context) (bool, string, error) {
	if len(f.applied) == 0 {
		return false, "not applied", nil
	}
	all := true
	var seen []string
	for _, node := range sortedKeys(f.applied) {
		for _, rs := range f.applied[node] {
			out, err := f.env.Shell.Run(ctx, node, nil, rs.Cmd, "-w", "-t", rs.Table, "-S")
			if err != nil {
				return false, "", err
			}
			ok, _, s := rs.observe(out)
			all = all && ok
			seen = append(seen, node+": "+s)
		}
	}
	return all, strings.Join(seen, " | "), nil
}

// Revert implements Fault for every rule-set fault: it removes every
// applied rule set and checks, node by node, that none is left.
func (f *iptablesFault) Revert(ctx context.Context) error {
	for _, node := range sortedKeys(f.applied) {
		for _, rs := range f.applied[node] {
			if _, err := sh(ctx, f.env.Shell, node, rs.revertScript()); err != nil {
				return fmt.Errorf("node %s: remove %s: %w", node, rs.Chain, err)
			}
			out, err := f.env.Shell.Run(ctx, node, nil, rs.Cmd, "-w", "-t", rs.Table, "-S")
			if err != nil {
				return fmt.Errorf("node %s: %w", node, err)
			}
			if _, gone, seen := rs.observe(out); !gone {
				return fmt.Errorf("node %s: %s still there after revert: %s", node, rs.Chain, seen)
			}
		}
		delete(f.applied, node)
	}
	return nil
}

// byFamily groups prefixes by the command of their family: iptables for
// IPv4, ip6tables for IPv6.
func byFamily(prefixes []netip.Prefix) map[string][]netip.Prefix {
	out := map[string][]netip.Prefix{}
	for _, p := range prefixes {
		out[iptablesFor(p.Addr())] = append(out[iptablesFor(p.Addr())], p)
	}
	return out
}

func iptablesFor(a netip.Addr) string {
	if a.Is4() {
		return "iptables"
	}
	return "ip6tables"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
