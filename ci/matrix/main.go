// Command matrix runs the catalogue once per cell of Kubernetes versions ×
// CNIs × kube-proxy modes × IP families, one cluster at a time, and writes
// one combined report: <out>/matrix.{md,json,html}, and per cell
// <out>/<cell>/{go-test.log,junit.xml,results.jsonl,report/}. It exits 1
// when a claim failed in a cell or a cell could not run.
//
//	go run ./ci/matrix -k8s-versions "1.36.3" -cnis "flannel-host-gw flannel-vxlan" -proxy-modes nftables
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/netconform/netconform/pkg/claims"
	"github.com/netconform/netconform/pkg/kindcluster"
	"github.com/netconform/netconform/pkg/modroot"
	"github.com/netconform/netconform/pkg/nodeimage"
)

type config struct {
	versions, cnis, proxyModes, families []string
	packages, goTestFlags                []string
	out, clusterName                     string
	timeout                              time.Duration
}

func main() {
	var c config
	versions := flag.String("k8s-versions", nodeimage.DefaultK8sVersion, "Kubernetes versions, space-separated")
	cnis := flag.String("cnis", kindcluster.FlannelHostGW, "CNIs, space-separated: flannel-host-gw, flannel-vxlan, or paths of manifests/scripts")
	proxyModes := flag.String("proxy-modes", kindcluster.ProxyIPTables, "kube-proxy modes, space-separated: iptables, nftables")
	families := flag.String("ip-families", kindcluster.IPv4, "IP families, space-separated: ipv4, dual")
	packages := flag.String("packages", "./tests/...", "test packages of each cell, space-separated")
	goTestFlags := flag.String("go-test-flags", "", "more go test flags for each cell, e.g. \"-run TestSvc\"")
	flag.StringVar(&c.out, "out", "_artifacts/matrix", "directory of the cells' artifacts and the combined report")
	flag.StringVar(&c.clusterName, "cluster-name", envOr("NETCONFORM_CLUSTER_NAME", "netconform-matrix"), "kind cluster name used by every cell, one after the other")
	flag.DurationVar(&c.timeout, "timeout", 90*time.Minute, "go test -timeout of each cell")
	flag.Parse()
	c.versions, c.cnis, c.proxyModes, c.families = strings.Fields(*versions), strings.Fields(*cnis), strings.Fields(*proxyModes), strings.Fields(*families)
	c.packages, c.goTestFlags = strings.Fields(*packages), strings.Fields(*goTestFlags)

	root, err := modroot.Find()
	exitOn(err)
	exitOn(os.Chdir(root)) // relative CNI paths and the harness agree: both read them from the module root
	cells, err := plan(c)
	exitOn(err)
	if err := prepareHost(); err != nil {
		exitOn(fmt.Errorf("%w (the egress guard must be up before any cluster exists)", err))
	}
	exitOn(clearOldCells(c.out))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	fmt.Printf("[matrix] %d cells, one cluster (%s) at a time; artifacts in %s\n", len(cells), c.clusterName, c.out)
	var runs []claims.CellRun
	var results []map[string]claims.Result
	images := map[string]imageResult{}
	for i, cell := range cells {
		if ctx.Err() != nil {
			break
		}
		run, res := runCell(ctx, c, i+1, cell, images)
		runs, results = append(runs, run), append(results, res)
		fmt.Printf("[matrix] %d/%d %s (elapsed %s)\n", i+1, len(cells), claims.MatrixColumn{CellRun: run, Counts: claims.Build(res).Counts}.Header(), time.Since(start).Round(time.Second))
	}
	m := claims.BuildMatrix(runs, results)
	exitOn(m.WriteFiles(c.out))
	fmt.Printf("[matrix] %s in %s -> %s/matrix.{md,json,html}\n", m.Summary(), time.Since(start).Round(time.Second), c.out)
	for _, p := range m.Problems() {
		fmt.Printf("[matrix] problem: %s\n", p)
	}
	switch {
	case ctx.Err() != nil:
		fmt.Printf("[matrix] interrupted after %d of %d cells\n", len(runs), len(cells))
		os.Exit(130)
	case len(m.Problems()) > 0:
		os.Exit(1)
	}
}

// plan lists the cells in run order, every choice validated first, so a
// typo fails before any image is built or cluster made.
func plan(c config) ([]claims.Cell, error) {
	var cells []claims.Cell
	for _, v := range c.versions {
		if _, err := nodeimage.NodeImageRef(nodeimage.Options{KubernetesVersion: v}); err != nil {
			return nil, err // not a version
		}
		version := "v" + strings.TrimPrefix(strings.TrimSpace(v), "v")
		for _, cni := range c.cnis {
			for _, mode := range c.proxyModes {
				for _, family := range c.families {
					if _, err := kindcluster.ParseDataplane(cni, mode, family); err != nil {
						return nil, err
					}
					cells = append(cells, claims.Cell{K8sVersion: version, CNI: cni, ProxyMode: mode, IPFamily: family})
				}
			}
		}
	}
	if len(cells) == 0 {
		return nil, fmt.Errorf("no cells: give at least one of each of -k8s-versions, -cnis, -proxy-modes, -ip-families")
	}
	return cells, nil
}

// clearOldCells removes the cells of an earlier matrix run, so that
// `ci/report -matrix` on out reads this run's cells only.
func clearOldCells(out string) error {
	old, _ := filepath.Glob(filepath.Join(out, "*", claims.CellRunFile))
	for _, f := range old {
		if err := os.RemoveAll(filepath.Dir(f)); err != nil {
			return err
		}
	}
	return os.MkdirAll(out, 0o755)
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func exitOn(err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "matrix: %v\n", err)
		os.Exit(2)
	}
}
