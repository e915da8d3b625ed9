package kindcluster

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The dataplane choices of a kind cluster.
const (
	FlannelHostGW = "flannel-host-gw" // the node image's baked-in CNI
	FlannelVXLAN  = "flannel-vxlan"
	ProxyIPTables = "iptables"
	ProxyNFTables = "nftables"
	IPv4          = "ipv4"
	DualStack     = "dual"
)

// Dataplane is how a cluster moves packets: CNI, kube-proxy mode, IP
// family. A kept cluster is reused only by a run asking for an equal one.
type Dataplane struct {
	CNI       string // FlannelHostGW, FlannelVXLAN, or the absolute path of a manifest or script
	ProxyMode string // ProxyIPTables or ProxyNFTables
	IPFamily  string // IPv4 or DualStack
	cniDigest string // of a manifest or script: an edited file is another dataplane
}

// DefaultDataplane is what a cluster gets when nothing is asked for.
var DefaultDataplane = Dataplane{CNI: FlannelHostGW, ProxyMode: ProxyIPTables, IPFamily: IPv4}

// ParseDataplane validates the user's choices, without touching Docker, so
// a typo fails at once and before any cluster exists. Empty means default.
func ParseDataplane(cni, proxyMode, ipFamily string) (Dataplane, error) {
	d := DefaultDataplane
	if proxyMode != "" {
		d.ProxyMode = proxyMode
	}
	if ipFamily != "" {
		d.IPFamily = ipFamily
	}
	if d.ProxyMode != ProxyIPTables && d.ProxyMode != ProxyNFTables {
		return d, fmt.Errorf("unknown proxy mode %q: valid are %s (default), %s", d.ProxyMode, ProxyIPTables, ProxyNFTables)
	}
	if d.IPFamily != IPv4 && d.IPFamily != DualStack {
		return d, fmt.Errorf("unknown IP family %q: valid are %s (default), %s", d.IPFamily, IPv4, DualStack)
	}
	if cni == "" || cni == FlannelHostGW || cni == FlannelVXLAN {
		if cni != "" {
			d.CNI = cni
		}
		return d, nil
	}
	choices := fmt.Sprintf("valid are %s (default), %s, or the path of a manifest (.yaml/.yml, applied with server-side apply) or of an executable script", FlannelHostGW, FlannelVXLAN)
	abs, err := filepath.Abs(cni)
	if err != nil {
		return d, err
	}
	info, err := os.Stat(abs)
	switch {
	case err != nil && !looksLikePath(cni):
		return d, fmt.Errorf("unknown CNI %q: %s", cni, choices)
	case err != nil:
		return d, fmt.Errorf("CNI %q: %w; %s", cni, err, choices)
	case info.IsDir():
		return d, fmt.Errorf("CNI %q is a directory; %s", cni, choices)
	case !isManifest(abs) && info.Mode().Perm()&0o111 == 0:
		return d, fmt.Errorf("CNI %q is neither a manifest (.yaml/.yml) nor executable (chmod +x it if it is a script)", cni)
	}
	raw, err := os.ReadFile(abs)
	if err != nil {
		return d, fmt.Errorf("CNI %q: %w", cni, err)
	}
	sum := sha256.Sum256(raw)
	d.CNI, d.cniDigest = abs, hex.EncodeToString(sum[:])[:12]
	return d, nil
}

func looksLikePath(s string) bool {
	return strings.ContainsRune(s, '/') || isManifest(s) || strings.HasSuffix(s, ".sh")
}

func isManifest(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return ext == ".yaml" || ext == ".yml"
}

// BakedIn reports whether kind installs the node image's own CNI (flannel
// host-gw, templated by kind for one pod subnet). Any other dataplane
// starts with disableDefaultCNI and the suite installs the CNI.
func (d Dataplane) BakedIn() bool { return d.CNI == FlannelHostGW && d.IPFamily == IPv4 }

// FlannelBackend is the flannel backend to render ("host-gw", "vxlan"),
// or "" when the CNI is the user's.
func (d Dataplane) FlannelBackend() string {
	switch d.CNI {
	case FlannelHostGW:
		return "host-gw"
	case FlannelVXLAN:
		return "vxlan"
	}
	return ""
}

// Manifest reports whether the user's CNI is a manifest (else a script).
func (d Dataplane) Manifest() bool { return d.FlannelBackend() == "" && isManifest(d.CNI) }

// String identifies the dataplane in logs and in the cluster's state.
func (d Dataplane) String() string {
	cni := d.CNI
	if d.cniDigest != "" {
		cni += "@" + d.cniDigest
	}
	return fmt.Sprintf("cni=%s proxy=%s ipFamily=%s", cni, d.ProxyMode, d.IPFamily)
}

// PodSubnets and ServiceSubnets are the CIDRs of d's IP family, in kind's
// comma-separated form.
func (d Dataplane) PodSubnets() string {
	if d.IPFamily == DualStack {
		return PodSubnet + "," + PodSubnetV6
	}
	return PodSubnet
}

func (d Dataplane) ServiceSubnets() string {
	if d.IPFamily == DualStack {
		return ServiceSubnet + "," + ServiceSubnetV6
	}
	return ServiceSubnet
}

// orDefault fills the fields left empty with the defaults.
func (d Dataplane) orDefault() Dataplane {
	if d.CNI == "" {
		d.CNI = DefaultDataplane.CNI
	}
	if d.ProxyMode == "" {
		d.ProxyMode = DefaultDataplane.ProxyMode
	}
	if d.IPFamily == "" {
		d.IPFamily = DefaultDataplane.IPFamily
	}
	return d
}
