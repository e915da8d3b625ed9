package faults

import (
	"net/netip"
	"os"
	"testing"

	"gotest.tools/v3/assert"
)

func TestNodePortRange(t *testing.T) {
	for _, c := range []struct {
		args   []string
		lo, hi int
		err    string
	}{
		{args: []string{"kube-apiserver", "--secure-port=6443"}, lo: 30000, hi: 32767},
		{args: []string{"--service-node-port-range=20000-22767"}, lo: 20000, hi: 22767},
		{args: []string{"--service-node-port-range=31000"}, lo: 31000, hi: 31000},
		{args: []string{"--service-node-port-range=9-1"}, err: "not a range"},
	} {
		lo, hi, err := nodePortRange(c.args)
		if c.err != "" {
			assert.ErrorContains(t, err, c.err)
			continue
		}
		assert.NilError(t, err)
		assert.Equal(t, [2]int{lo, hi}, [2]int{c.lo, c.hi})
	}
}

// Addresses a node owns inside pod ranges (VXLAN device, bridge) are found;
// its node address and link-local ones are not.
func TestAddrsInPodRanges(t *testing.T) {
	raw, err := os.ReadFile("testdata/ip-addr.txt")
	assert.NilError(t, err)
	got := addrsIn(string(raw), []netip.Prefix{netip.MustParsePrefix("10.244.2.0/24"), netip.MustParsePrefix("10.244.0.0/24")})
	assert.DeepEqual(t, strs(got), []string{"10.244.2.0", "10.244.2.1"})
	rules := exemptions("iptables", got, "-d")
	assert.DeepEqual(t, rules, [][]string{{"-d", "10.244.2.0/32", "-j", "RETURN"}, {"-d", "10.244.2.1/32", "-j", "RETURN"}})
	assert.Equal(t, len(exemptions("ip6tables", got, "-s", "-d")), 0, "no IPv6 address to exempt")
}

func TestHalvesAreMoreSpecificThanTheBlackhole(t *testing.T) {
	assert.DeepEqual(t, strs(halves(netip.MustParsePrefix("10.96.0.0/16"))), []string{"10.96.0.0/17", "10.96.128.0/17"})
	assert.DeepEqual(t, strs(halves(netip.MustParsePrefix("10.244.1.0/24"))), []string{"10.244.1.0/25", "10.244.1.128/25"})
	assert.DeepEqual(t, strs(halves(netip.MustParsePrefix("fd00:10:96::/112"))), []string{"fd00:10:96::/113", "fd00:10:96::8000/113"})
	assert.DeepEqual(t, strs(halves(netip.MustParsePrefix("10.0.0.7/32"))), []string{"10.0.0.7/32"})
}

func TestRoutesGoViaTheAddressOfTheirFamily(t *testing.T) {
	via := []netip.Addr{netip.MustParseAddr("fc00:f853:ccd:e793::3"), netip.MustParseAddr("172.18.0.3")}
	routes := routesVia([]netip.Prefix{netip.MustParsePrefix("10.244.1.0/24"), netip.MustParsePrefix("fd00:10:244:1::/64")}, via)
	var cmds []string
	for _, r := range routes {
		cmds = append(cmds, r.cmd("add")[1]+" "+r.Dst.String()+" via "+r.Via.String())
	}
	assert.DeepEqual(t, cmds, []string{
		"-4 10.244.1.0/25 via 172.18.0.3", "-4 10.244.1.128/25 via 172.18.0.3",
		"-6 fd00:10:244:1::/65 via fc00:f853:ccd:e793::3", "-6 fd00:10:244:1:8000::/65 via fc00:f853:ccd:e793::3",
	})
	assert.Equal(t, len(routesVia([]netip.Prefix{netip.MustParsePrefix("fd00::/64")}, via[1:])), 0, "no IPv6 address: no IPv6 route")
}

func strs[T interface{ String() string }](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = x.String()
	}
	return out
}
