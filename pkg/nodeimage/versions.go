package nodeimage

// Pinned component versions: the one place to change what goes into a node
// image. Every artifact's cache key includes these, so a change here rebuilds
// exactly the artifacts that depend on it.
const (
	KindVersion       = "v0.33.0" // also the sigs.k8s.io/kind version in go.mod
	ContainerdVersion = "v2.3.4"  // kind v0.33's
	RuncVersion       = "v1.4.3"
	CNIPluginsVersion = "v1.9.1"
	FlannelVersion    = "v0.28.4"
	FlannelCNIVersion = "v0.9.1" // containernetworking/plugins release that still has plugins/meta/flannel
	EtcdVersion       = "3.6.8"
	CoreDNSVersion    = "v1.14.2"
	DebianSuite       = "bookworm"
	DefaultK8sVersion = "1.36.3"
	minimumK8sMinor   = 32 // kind v0.33 and the kubelet config we write need 1.32+
)

// rootfsPackages is the Debian package set of the node rootfs: kind's base
// image list minus nfs-common/open-iscsi (no storage claims in the suite).
var rootfsPackages = []string{
	"systemd", "dbus", "conntrack", "iptables", "nftables", "iproute2", "ethtool",
	"util-linux", "mount", "kmod", "libseccomp2", "pigz", "fuse-overlayfs", "bash",
	"ca-certificates", "curl", "jq", "procps", "e2fsprogs", "socat",
}

// Image references inside the node. Control-plane names are what kubeadm
// expects; etcd and CoreDNS carry their real versions and the kind config
// points kubeadm at them (see EtcdImageTag, CoreDNSImageTag).
const (
	ImageRepo       = "registry.k8s.io"
	EtcdImageTag    = EtcdVersion + "-0"
	CoreDNSImageTag = CoreDNSVersion
	FlannelImage    = "netconform.local/flannel:" + FlannelVersion
	kindPauseImage  = "registry.k8s.io/pause:3.10" // sandbox_image of kind's containerd config
)
