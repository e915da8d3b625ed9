package harness

import (
	"testing"

	"gotest.tools/v3/assert"
)

func TestRuleExcerpt(t *testing.T) {
	dump := `*nat
-A KUBE-SERVICES -d 10.96.12.7/32 -p tcp -m comment --comment "nc-svc13-abcde/rolling:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-X
-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -j KUBE-SVC-Y
-A KUBE-SEP-Z -s 10.244.1.5/32 -m comment --comment "nc-svc13-abcde/rolling:http" -j KUBE-MARK-MASQ
COMMIT`
	got := RuleExcerpt(dump, []string{"nc-svc13-abcde"})
	assert.Equal(t, got, `-A KUBE-SERVICES -d 10.96.12.7/32 -p tcp -m comment --comment "nc-svc13-abcde/rolling:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-X
-A KUBE-SEP-Z -s 10.244.1.5/32 -m comment --comment "nc-svc13-abcde/rolling:http" -j KUBE-MARK-MASQ
`)
	assert.Equal(t, RuleExcerpt(dump, []string{"nc-other"}), "(no rule names nc-other)\n")
}
