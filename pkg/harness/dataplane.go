package harness

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/netconform/netconform/pkg/claims"
	"github.com/netconform/netconform/pkg/kindcluster"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/modroot"
	"github.com/netconform/netconform/pkg/verdict"
)

// DataplaneFlags choose how the kind cluster moves packets.
type DataplaneFlags struct {
	CNI       string
	ProxyMode string
	IPFamily  string
}

func registerDataplaneFlags(d *DataplaneFlags) {
	flag.StringVar(&d.CNI, "cni", envString("NETCONFORM_CNI", kindcluster.FlannelHostGW),
		"kind mode: flannel-host-gw (the node image's own), flannel-vxlan, or the path (absolute, or relative to the module root) of a CNI manifest (.yaml/.yml) or install script (env NETCONFORM_CNI)")
	flag.StringVar(&d.ProxyMode, "proxy-mode", envString("NETCONFORM_PROXY_MODE", kindcluster.ProxyIPTables),
		"kind mode: kube-proxy mode, iptables or nftables (env NETCONFORM_PROXY_MODE)")
	flag.StringVar(&d.IPFamily, "ip-family", envString("NETCONFORM_IP_FAMILY", kindcluster.IPv4),
		"kind mode: ipv4 or dual (dual-stack) (env NETCONFORM_IP_FAMILY)")
}

// parse validates the choices. A relative CNI path is taken from the
// module root, where `make` and `go test ./tests/...` run: each test
// binary runs in its own package directory.
func (d DataplaneFlags) parse() (kindcluster.Dataplane, error) {
	cni := d.CNI
	if cni != kindcluster.FlannelHostGW && cni != kindcluster.FlannelVXLAN && cni != "" && !filepath.IsAbs(cni) {
		root, err := modroot.Find()
		if err != nil {
			return kindcluster.Dataplane{}, err
		}
		cni = filepath.Join(root, cni)
	}
	return kindcluster.ParseDataplane(cni, d.ProxyMode, d.IPFamily)
}

// installCNI installs the CNI on a cluster made without the node image's
// own, and waits for it.
func installCNI(ctx context.Context, c *kube.Client, name, kubeconfig string, d kindcluster.Dataplane) error {
	start := time.Now()
	if err := kindcluster.InstallCNI(ctx, name, kubeconfig, d, os.Stderr); err != nil {
		return err
	}
	if err := waitCNIReady(ctx, c, 5*time.Minute); err != nil {
		return fmt.Errorf("CNI %s: %w", d.CNI, err)
	}
	fmt.Fprintf(os.Stderr, "[cni] %s: nodes and CNI pods ready %s after install\n", d.CNI, time.Since(start).Round(100*time.Millisecond))
	return nil
}

// recordCell writes what the run's verdicts belong to next to its results
// (results.cell.json), or why the run got no cluster.
func recordCell(ctx context.Context, o *Options, s *Suite, node string, setupErr error) {
	cell := claims.Cell{K8sVersion: o.K8sVersion, CNI: o.Dataplane.CNI, ProxyMode: o.Dataplane.ProxyMode, IPFamily: o.Dataplane.IPFamily, NodeImage: node}
	if d, err := o.Dataplane.parse(); err == nil {
		cell.CNI, cell.ProxyMode, cell.IPFamily = d.CNI, d.ProxyMode, d.IPFamily
	}
	path := claims.CellFile(verdict.ResultsFile())
	if setupErr != nil {
		if prev, _ := claims.ReadCell(path); prev != nil && prev.SetupError != "" {
			return // the first package's error is the cause; later ones repeat it
		}
		cell.SetupError = setupErr.Error()
	} else if s != nil && s.Client != nil {
		if v, err := s.Client.Discovery().ServerVersion(); err == nil {
			cell.K8sVersion = v.GitVersion
		}
		cell.Unconverged = s.Unconverged
	}
	if err := claims.WriteCell(path, cell); err != nil {
		fmt.Fprintf(os.Stderr, "[cluster] record cell %s: %v\n", path, err)
	}
}
