// Package kindcluster creates, shares and removes the suite's kind cluster.
package kindcluster

import (
	"fmt"
	"strings"

	"github.com/netconform/netconform/pkg/kube"
)

// Cluster CIDRs. prepare-host.sh blackholes the same ranges on the host, so a
// probe from outside the cluster fails locally instead of leaving the machine.
const (
	PodSubnet       = "10.244.0.0/16"
	ServiceSubnet   = "10.96.0.0/16"
	PodSubnetV6     = "fd00:10:244::/56" // dual-stack only
	ServiceSubnetV6 = "fd00:10:96::/112"
)

// Spec is what a cluster is made of.
type Spec struct {
	Workers int // worker nodes beside the one control plane
	// ReservedNodes adds this many more workers, labelled and tainted
	// (kube.ReservedLabel), that no claim's pods land on: the disruptive
	// claims restart one and stop kube-proxy on another while the others
	// run.
	ReservedNodes   int
	Dataplane       Dataplane
	EtcdImageTag    string // tags of the etcd and CoreDNS images in the node image
	CoreDNSImageTag string
	// Host adaptations, set only where the host needs them (see Detect).
	RestrictOOMScoreAdj bool // no process may lower oom_score_adj (CAP_SYS_RESOURCE missing)
	AllowCgroupV1       bool // kubelet >= 1.35 refuses cgroup v1 unless told
}

// Shape says what nodes s makes, for logs and for telling a kept cluster
// of another shape.
func (s Spec) Shape() string {
	shape := fmt.Sprintf("1 control plane, %d workers", s.Workers)
	if s.ReservedNodes > 0 {
		shape += fmt.Sprintf(", %d reserved for disruptive claims", s.ReservedNodes)
	}
	return shape
}

// Config renders the kind v1alpha4 cluster config for s.
func (s Spec) Config() string {
	var b strings.Builder
	d := s.Dataplane.orDefault()
	family := "ipv4"
	if d.IPFamily == DualStack {
		family = "dual"
	}
	fmt.Fprintf(&b, `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking:
  ipFamily: %s
  podSubnet: %q
  serviceSubnet: %q
  kubeProxyMode: %s
  disableDefaultCNI: %t
nodes:
- role: control-plane
`, family, d.PodSubnets(), d.ServiceSubnets(), d.ProxyMode, !d.BakedIn())
	for i := 0; i < s.Workers; i++ {
		b.WriteString("- role: worker\n")
	}
	for i := 0; i < s.ReservedNodes; i++ {
		fmt.Fprintf(&b, `- role: worker
  labels:
    %s: %s
  kubeadmConfigPatches:
  - |
    kind: JoinConfiguration
    nodeRegistration:
      taints:
      - key: %s
        value: %s
        effect: NoSchedule
`, kube.ReservedLabel, kube.ReservedValue, kube.ReservedLabel, kube.ReservedValue)
	}
	// The cgroupfs driver, in containerd and the kubelet alike: the nodes'
	// systemd then takes no part in each container's start (runc or crun
	// asks it over D-Bus otherwise), a CPU cost paid ~200 times a run.
	b.WriteString(`containerdConfigPatches:
- |-
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
    SystemdCgroup = false
`)
	if s.RestrictOOMScoreAdj {
		b.WriteString(`- |-
  [plugins."io.containerd.grpc.v1.cri"]
    restrict_oom_score_adj = true
`)
	}
	b.WriteString("kubeadmConfigPatches:\n- |\n  kind: KubeletConfiguration\n  cgroupDriver: cgroupfs\n")
	if s.AllowCgroupV1 {
		b.WriteString("  failCgroupV1: false\n")
	}
	if s.EtcdImageTag != "" || s.CoreDNSImageTag != "" {
		b.WriteString("- |\n  kind: ClusterConfiguration\n")
		if s.EtcdImageTag != "" {
			fmt.Fprintf(&b, "  etcd:\n    local:\n      imageTag: %q\n", s.EtcdImageTag)
		}
		if s.CoreDNSImageTag != "" {
			fmt.Fprintf(&b, "  dns:\n    imageTag: %q\n", s.CoreDNSImageTag)
		}
	}
	return b.String()
}
