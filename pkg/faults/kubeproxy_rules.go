package faults

import "strings"

// flushScript removes kube-proxy's rules from a node's kernel once
// kube-proxy no longer runs there (it leaves them when it stops): in
// iptables mode every KUBE chain and the jumps to them (`iptables-save |
// grep -v KUBE | iptables-restore`, per family, which also drops the
// kubelet's KUBE-KUBELET-CANARY; the kubelet puts its own back), in
// nftables mode its tables.
func flushScript(mode string) string {
	iptables := `for t in iptables ip6tables; do
  if $t-save 2>/dev/null | grep -q KUBE; then $t-save | grep -v KUBE | $t-restore || exit 1; fi
done`
	if mode == "nftables" {
		return `for f in ip ip6; do nft list table $f kube-proxy >/dev/null 2>&1 && { nft delete table $f kube-proxy || exit 1; }; done
` + iptables
	}
	return iptables
}

// rulesCommand lists kube-proxy's rules of the family of serviceIP.
func rulesCommand(mode, serviceIP string) string {
	v6 := strings.Contains(serviceIP, ":")
	switch {
	case mode == "nftables" && v6:
		return "nft list table ip6 kube-proxy 2>/dev/null; true"
	case mode == "nftables":
		return "nft list table ip kube-proxy 2>/dev/null; true"
	case v6:
		return "ip6tables-save -t nat"
	}
	return "iptables-save -t nat"
}

// rulesState reads rulesCommand's output: present when kube-proxy has
// translated serviceIP (the kubernetes Service, which always exists), gone
// when nothing of kube-proxy's is left.
func rulesState(mode, rules, serviceIP string) (present, gone bool) {
	if mode == "nftables" { // the service-ips map: "10.96.0.1 . tcp . 443 : goto ..."
		return strings.Contains(rules, serviceIP+" . "), strings.TrimSpace(rules) == ""
	}
	dst := "-d " + serviceIP + "/32 "
	if strings.Contains(serviceIP, ":") {
		dst = "-d " + serviceIP + "/128 "
	}
	for _, l := range strings.Split(rules, "\n") {
		present = present || (strings.HasPrefix(l, "-A KUBE-SERVICES ") && strings.Contains(l, dst))
	}
	return present, !strings.Contains(rules, "KUBE-SERVICES") && !strings.Contains(rules, "KUBE-SVC-")
}
