package faults

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestNodePortDropIsRawBeforeNAT(t *testing.T) {
	rs := nodePortDrop("iptables", 30000, 32767)
	var got []string
	for _, c := range rs.applyCmds() {
		got = append(got, strings.Join(c, " "))
	}
	assert.DeepEqual(t, got, []string{
		"iptables -w -t raw -N NC-SELFTEST-NODEPORT",
		"iptables -w -t raw -A NC-SELFTEST-NODEPORT -p tcp -m addrtype --dst-type LOCAL --dport 30000:32767 -j DROP",
		"iptables -w -t raw -A NC-SELFTEST-NODEPORT -p udp -m addrtype --dst-type LOCAL --dport 30000:32767 -j DROP",
		"iptables -w -t raw -I PREROUTING 1 -m comment --comment netconform-selftest -j NC-SELFTEST-NODEPORT",
		"iptables -w -t raw -I OUTPUT 1 -m comment --comment netconform-selftest -j NC-SELFTEST-NODEPORT",
	})
	assert.Assert(t, len(rs.Chain) <= 28, "iptables chain names have at most 28 characters")
}

// Revert removes every jump with the marker and then the chain, and is a
// no-op where there is nothing (it also clears an interrupted run's).
func TestRevertScriptRemovesOnlyWhatTheFaultAdded(t *testing.T) {
	rs := ruleSet{Cmd: "ip6tables", Table: "nat", Hooks: []string{"POSTROUTING"}, Chain: "NC-SELFTEST-SNAT"}
	assert.Equal(t, rs.revertScript(),
		"while ip6tables -w -t nat -C POSTROUTING -m comment --comment netconform-selftest -j NC-SELFTEST-SNAT 2>/dev/null; "+
			"do ip6tables -w -t nat -D POSTROUTING -m comment --comment netconform-selftest -j NC-SELFTEST-SNAT || exit 1; done; "+
			"if ip6tables -w -t nat -S NC-SELFTEST-SNAT >/dev/null 2>&1; then ip6tables -w -t nat -F NC-SELFTEST-SNAT && ip6tables -w -t nat -X NC-SELFTEST-SNAT; fi")
}

func TestObserveReadsTheTable(t *testing.T) {
	nat, err := os.ReadFile("testdata/iptables-nat.txt")
	assert.NilError(t, err)
	rs := ruleSet{Cmd: "iptables", Table: "nat", Hooks: []string{"POSTROUTING"}, Chain: "NC-SELFTEST-SNAT",
		Rules: [][]string{{"-s", "10.244.1.0/24", "-d", "10.244.0.0/24", "-j", "MASQUERADE"}, {"-s", "10.244.1.0/24", "-d", "10.244.1.0/24", "-j", "MASQUERADE"}}}
	inEffect, gone, seen := rs.observe(string(nat))
	assert.Assert(t, inEffect, seen)
	assert.Assert(t, !gone)

	// kube-proxy re-inserted its jump above ours: no longer first.
	moved := strings.Replace(string(nat), "-A POSTROUTING -m comment --comment netconform-selftest", "-A POSTROUTING -j KUBE-POSTROUTING\n-A POSTROUTING -m comment --comment netconform-selftest", 1)
	inEffect, _, seen = rs.observe(moved)
	assert.Assert(t, !inEffect)
	assert.Assert(t, is.Contains(seen, `POSTROUTING starts with "-j KUBE-POSTROUTING"`))

	var without []string
	for _, l := range strings.Split(string(nat), "\n") {
		if !strings.Contains(l, "NC-SELFTEST") {
			without = append(without, l)
		}
	}
	inEffect, gone, _ = rs.observe(strings.Join(without, "\n"))
	assert.Assert(t, !inEffect && gone)
}

// fakeShell records commands and fails the nth (1-based) one, if set.
type fakeShell struct {
	cmds   []string
	failAt int
	output map[string]string // by command prefix
}

func (s *fakeShell) Run(_ context.Context, where string, _ []byte, argv ...string) (string, error) {
	cmd := where + ": " + strings.Join(argv, " ")
	s.cmds = append(s.cmds, cmd)
	if len(s.cmds) == s.failAt {
		return "", fmt.Errorf("failed: %s", cmd)
	}
	for prefix, out := range s.output {
		if strings.HasPrefix(cmd, prefix) {
			return out, nil
		}
	}
	return "", nil
}

// A rule set is recorded before it is made, so a fault that fails half
// way is still reverted, and Revert forgets what it removed.
func TestHalfInstalledRulesAreReverted(t *testing.T) {
	shell := &fakeShell{failAt: 3} // leftovers cleared, chain made, first rule fails
	f := &iptablesFault{env: &Env{Shell: shell}}
	rs := nodePortDrop("iptables", 30000, 32767)
	err := f.install(context.Background(), map[string][]ruleSet{"w2": {rs}})
	assert.ErrorContains(t, err, "node w2")

	shell.cmds, shell.failAt = nil, 0
	assert.NilError(t, f.Revert(context.Background()))
	assert.DeepEqual(t, shell.cmds, []string{"w2: sh -c " + rs.revertScript(), "w2: iptables -w -t raw -S"})
	assert.Equal(t, len(f.applied), 0)

	shell.cmds = nil
	assert.NilError(t, f.Revert(context.Background()))
	assert.Equal(t, len(shell.cmds), 0, "a second revert has nothing to do")
}

func TestRevertFailsWhenTheChainStays(t *testing.T) {
	shell := &fakeShell{output: map[string]string{"w2: iptables -w -t raw -S": "-N NC-SELFTEST-NODEPORT\n"}}
	f := &iptablesFault{env: &Env{Shell: shell}, applied: map[string][]ruleSet{"w2": {nodePortDrop("iptables", 1, 2)}}}
	assert.ErrorContains(t, f.Revert(context.Background()), "still there after revert")
	assert.Equal(t, len(f.applied), 1, "kept, so that a later revert tries again")
}
