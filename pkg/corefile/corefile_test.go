package corefile

import (
	"testing"
	"time"

	"gotest.tools/v3/assert"
)

const kubeadm = `.:53 {
    errors
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    reload
}
`

func TestKubeadmDefaultDoesNotCacheTheClusterZone(t *testing.T) {
	f := Parse(kubeadm, "cluster.local")
	assert.DeepEqual(t, f, Facts{Zone: "cluster.local", RecordTTL: 30 * time.Second, PodsMode: "insecure", HasKubernetes: true, ForwardPresent: true})
}

func TestCacheBoundedByRecordTTL(t *testing.T) {
	f := Parse(".:53 {\n  kubernetes cluster.local\n  cache 60\n}\n", "cluster.local")
	assert.Equal(t, f.RecordTTL, 5*time.Second)
	assert.Equal(t, f.CacheSuccess, 5*time.Second)
	assert.Equal(t, f.CacheDenial, 5*time.Second)
	assert.Equal(t, f.PodsMode, "disabled")
}

func TestDisableForOtherZoneKeepsCaching(t *testing.T) {
	f := Parse(".:53 {\n  kubernetes cluster.local {\n    ttl 10\n  }\n  cache 30 {\n    disable success example.org\n  }\n}\n", "cluster.local")
	assert.Equal(t, f.CacheSuccess, 10*time.Second)
}
