package harness

import (
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

const kubeadmCorefile = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
`

func TestHermeticCorefileDropsForwardAndLoopOnly(t *testing.T) {
	got := HermeticCorefile(kubeadmCorefile)
	assert.Assert(t, !strings.Contains(got, "forward"), got)
	assert.Assert(t, !strings.Contains(got, "max_concurrent"), got)
	assert.Assert(t, !strings.Contains(got, "loop\n"), got)
	for _, kept := range []string{"kubernetes cluster.local", "lameduck 5s", "disable denial cluster.local", "reload", "loadbalance"} {
		assert.Assert(t, strings.Contains(got, kept), "%q dropped:\n%s", kept, got)
	}
	assert.Equal(t, strings.Count(got, "{"), strings.Count(got, "}"), got)
	assert.Equal(t, HermeticCorefile(got), got, "idempotent")
}

func TestHermeticCorefileSingleLineForward(t *testing.T) {
	got := HermeticCorefile(".:53 {\n    forward . 8.8.8.8\n    cache 30\n}\n")
	assert.Equal(t, got, ".:53 {\n    cache 30\n}\n")
}
