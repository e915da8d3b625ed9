package faults

import (
	"os"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

func TestKubeProxyRulesStateInIPTablesMode(t *testing.T) {
	raw, err := os.ReadFile("testdata/iptables-nat.txt")
	assert.NilError(t, err)
	save := "*nat\n" + strings.ReplaceAll(string(raw), "-N ", ":") + "COMMIT\n" // close enough to iptables-save for these checks
	present, gone := rulesState("iptables", save, "10.96.0.1")
	assert.Assert(t, present && !gone)

	var flushed []string
	for _, l := range strings.Split(save, "\n") {
		if !strings.Contains(l, "KUBE") {
			flushed = append(flushed, l)
		}
	}
	present, gone = rulesState("iptables", strings.Join(flushed, "\n"), "10.96.0.1")
	assert.Assert(t, !present && gone)

	// Chains back but the Service not yet written: neither.
	present, gone = rulesState("iptables", "*nat\n:KUBE-SERVICES - [0:0]\nCOMMIT\n", "10.96.0.1")
	assert.Assert(t, !present && !gone)
	// Another Service's address that starts the same is not the one.
	present, _ = rulesState("iptables", "-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -j KUBE-SVC-TCOU7JCQXEZGVUNU\n", "10.96.0.1")
	assert.Assert(t, !present)
}

func TestKubeProxyRulesStateInNFTablesMode(t *testing.T) {
	present, gone := rulesState("nftables", "", "10.96.0.1")
	assert.Assert(t, !present && gone)
	present, gone = rulesState("nftables", "table ip kube-proxy {\n\tmap service-ips {\n\t\telements = { 10.96.0.1 . tcp . 443 : goto service-2QRHZV4L-default/kubernetes/tcp/https }\n", "10.96.0.1")
	assert.Assert(t, present && !gone)
	assert.Equal(t, rulesCommand("nftables", "fd00:10:96::1"), "nft list table ip6 kube-proxy 2>/dev/null; true")
	assert.Equal(t, rulesCommand("iptables", "10.96.0.1"), "iptables-save -t nat")
}

func TestFlushScriptDropsOnlyKubeRules(t *testing.T) {
	s := flushScript("iptables")
	assert.Assert(t, strings.Contains(s, "$t-save | grep -v KUBE | $t-restore"))
	assert.Assert(t, !strings.Contains(s, "nft"))
	assert.Assert(t, strings.Contains(flushScript("nftables"), "nft delete table $f kube-proxy"))
}
