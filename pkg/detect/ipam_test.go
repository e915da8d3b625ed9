package detect

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	"sigs.k8s.io/yaml"
)

// objects parses YAML documents separated by "---" into unstructured maps,
// the shape the dynamic client returns.
func objects(t *testing.T, docs string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, d := range strings.Split(docs, "\n---\n") {
		var m map[string]any
		assert.NilError(t, yaml.Unmarshal([]byte(d), &m))
		out = append(out, m)
	}
	return out
}

// Calico's operator makes this pool (crd.projectcalico.org/v1, as the
// CRD stores it); its default CIDR has nothing to do with the nodes'
// podCIDRs that kube-controller-manager may still hand out.
const calicoPools = `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: default-ipv4-ippool
spec:
  allowedUses: [Workload, Tunnel]
  blockSize: 26
  cidr: 192.168.0.0/16
  ipipMode: Always
  natOutgoing: true
  nodeSelector: all()
---
apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: retired
spec:
  cidr: 172.16.0.0/16
  disabled: true
---
apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: lb-pool
spec:
  cidr: 10.50.0.0/24
  allowedUses: [LoadBalancer]`

func TestCalicoIPPoolsWinOverNodePodCIDRs(t *testing.T) {
	r := ChoosePodRanges(IPAMObjects{
		CalicoIPPools: objects(t, calicoPools),
		NodePodCIDRs:  map[string][]string{"n1": {"10.244.0.0/24"}},
	})
	assert.Equal(t, r.Source, FromCalicoIPPools)
	assert.Equal(t, fmt.Sprint(r.For("n1")), fmt.Sprint([]netip.Prefix{netip.MustParsePrefix("192.168.0.0/16")}))
	assert.Assert(t, !r.Inferred)
	d := r.Describe()
	assert.Assert(t, strings.Contains(d, "retired 172.16.0.0/16: disabled"), d)
	assert.Assert(t, strings.Contains(d, "lb-pool 10.50.0.0/24: allowedUses [LoadBalancer]"), d)
}

func TestCalicoPoolsThatHandOutNothingFallBack(t *testing.T) {
	pools := objects(t, calicoPools)[1:] // only the disabled and the LoadBalancer pool
	r := ChoosePodRanges(IPAMObjects{CalicoIPPools: pools, NodePodCIDRs: map[string][]string{"n1": {"10.244.0.0/24"}}})
	assert.Equal(t, r.Source, FromNodePodCIDRs)
	assert.Assert(t, strings.Contains(r.Describe(), "none hands out pod IPs"))
}

// A CiliumNode in cluster-pool mode, and one with a multi-pool allocation.
const ciliumNodes = `apiVersion: cilium.io/v2
kind: CiliumNode
metadata:
  name: worker
spec:
  ipam:
    podCIDRs: [10.0.1.0/24]
---
apiVersion: cilium.io/v2
kind: CiliumNode
metadata:
  name: worker2
spec:
  ipam:
    pools:
      allocated:
      - pool: default
        cidrs: [10.10.2.0/27, 10.10.2.32/27]
      requested:
      - pool: default`

func TestCiliumNodeIPAM(t *testing.T) {
	r := ChoosePodRanges(IPAMObjects{CiliumNodes: objects(t, ciliumNodes)})
	assert.Equal(t, r.Source, FromCiliumNodes)
	assert.Equal(t, fmt.Sprint(r.For("worker")), fmt.Sprint([]netip.Prefix{netip.MustParsePrefix("10.0.1.0/24")}))
	assert.Equal(t, fmt.Sprint(r.For("worker2")), fmt.Sprint([]netip.Prefix{netip.MustParsePrefix("10.10.2.0/27"), netip.MustParsePrefix("10.10.2.32/27")}))
	assert.Assert(t, r.For("elsewhere") == nil)
}

func TestNodePodCIDRsDualStack(t *testing.T) {
	r := ChoosePodRanges(IPAMObjects{NodePodCIDRs: map[string][]string{
		"kind-worker": {"10.244.1.0/24", "fd00:10:244:1::/64"},
	}})
	assert.Equal(t, r.Source, FromNodePodCIDRs)
	assert.Equal(t, len(r.For("kind-worker")), 2)
}

// A cloud CNI (e.g. one that gives pods VPC addresses) leaves podCIDRs
// empty and has no IPAM object the suite knows: the range is inferred.
func TestNothingReadableInfersFromPodIPs(t *testing.T) {
	seen := []netip.Addr{netip.MustParseAddr("172.31.5.9"), netip.MustParseAddr("172.31.40.2"), netip.MustParseAddr("2600:1f18::5")}
	r := ChoosePodRanges(IPAMObjects{
		NodePodCIDRs: map[string][]string{"ip-172-31-1-1": nil},
		PodIPsSeen:   seen,
		Notes:        []string{"crd.projectcalico.org/v1 ippools: forbidden"},
	})
	assert.Equal(t, r.Source, FromPodIPsSeen)
	assert.Assert(t, r.Inferred)
	assert.Equal(t, fmt.Sprint(r.Cluster), fmt.Sprint([]netip.Prefix{netip.MustParsePrefix("172.31.0.0/18"), netip.MustParsePrefix("2600:1f18::5/128")}))
	assert.Assert(t, strings.Contains(r.Describe(), "forbidden"))
	assert.Assert(t, strings.Contains(r.Describe(), "not every node has spec.podCIDRs"))
}

func TestCovering(t *testing.T) {
	assert.Assert(t, Covering(nil) == nil)
	got := Covering([]netip.Addr{netip.MustParseAddr("10.244.0.5"), netip.MustParseAddr("10.244.2.7")})
	assert.Equal(t, fmt.Sprint(got), fmt.Sprint([]netip.Prefix{netip.MustParsePrefix("10.244.0.0/22")}))
}
