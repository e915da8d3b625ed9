// Command upstream runs upstream Kubernetes' network conformance specs
// (e2e.test's [sig-network] ... [Conformance] and sig-node's service
// environment variables spec) on the suite's kept kind cluster, with
// everything built here from the Go module proxy and Debian packages and
// cached by its inputs: a warm run builds and loads nothing.
//
//	go run ./ci/upstream                 # build what is missing, load, run (make upstream)
//	go run ./ci/upstream -prepare        # build and load only (make bench's warm-up)
//	go run ./ci/upstream -no-build       # run what is cached (make bench's timed runs)
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/netconform/netconform/pkg/modroot"
	"github.com/netconform/netconform/pkg/nodeimage"
	"github.com/netconform/netconform/pkg/upstream"
)

func main() {
	o := upstream.Options{Progress: os.Stdout}
	var ro upstream.RunOptions
	flag.StringVar(&o.KubernetesVersion, "k8s-version", envOr("K8S_VERSION", upstream.DefaultK8sVersion), "the cluster's Kubernetes version: e2e.test is built from it (env K8S_VERSION)")
	cluster := flag.String("cluster", envOr("NETCONFORM_CLUSTER_NAME", "netconform"), "the kind cluster to run on (env NETCONFORM_CLUSTER_NAME)")
	flag.StringVar(&o.CacheDir, "cache-dir", nodeimage.DefaultCacheDir(), "where sources and binaries are cached (env NETCONFORM_CACHE)")
	flag.StringVar(&ro.OutDir, "out", filepath.Join(envOr("NETCONFORM_ARTIFACTS", "_artifacts"), "upstream"), "junit.xml, ginkgo.log, summary.txt")
	flag.IntVar(&ro.Procs, "procs", 4, "ginkgo processes")
	flag.StringVar(&ro.Focus, "focus", upstream.DefaultFocus, "ginkgo focus (regular expression on the spec text)")
	prepare := flag.Bool("prepare", false, "build and load only; run no spec")
	flag.BoolVar(&o.NoBuild, "no-build", false, "build and load nothing: run what an earlier run built (fails if anything is missing)")
	flag.Parse()
	ro.Progress = os.Stdout
	if o.NoBuild && *prepare {
		exitOn(fmt.Errorf("-prepare and -no-build exclude each other"))
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	guardBefore, guard := rejectedPackets()

	// The cluster first: no cluster or no Docker should fail in a second,
	// not after a 10-minute build.
	exitOn(upstream.DockerReachable(ctx))
	// Absolute: ginkgo runs e2e.test from the binary's directory.
	var err error
	ro.OutDir, err = filepath.Abs(ro.OutDir)
	exitOn(err)
	ro.Kubeconfig = filepath.Join(ro.OutDir, "kubeconfig")
	exitOn(upstream.Kubeconfig(ctx, *cluster, o.KubernetesVersion, ro.Kubeconfig))

	b, err := upstream.Prepare(ctx, o)
	exitOn(err)
	var load time.Duration
	if !o.NoBuild {
		load, err = upstream.Load(ctx, *cluster, b.Images, os.Stdout)
		exitOn(err)
		printPhases(b.Phases, load)
	}
	if *prepare {
		fmt.Printf("[upstream] ready in %s: %s\n", since(start), b.E2ETest)
		return
	}

	s, runErr := upstream.Run(ctx, b, ro)
	if s != nil {
		summary := filepath.Join(ro.OutDir, "summary.txt")
		var text strings.Builder
		s.Print(&text, filepath.Join(ro.OutDir, "junit.xml"))
		fmt.Print(text.String())
		if err := os.WriteFile(summary, []byte(text.String()), 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "upstream: %v\n", err)
		}
	}
	if o.NoBuild {
		fmt.Printf("[upstream] total %s\n", since(start))
	} else {
		fmt.Printf("[upstream] total %s (build, load, specs)\n", since(start))
	}
	if guard {
		if after, ok := rejectedPackets(); ok {
			fmt.Printf("[upstream] packets rejected by the egress guard during this run: %d\n", after-guardBefore)
		}
	}
	exitOn(runErr)
}

// printPhases is the build's time table, one line a step: what was built
// and how long it took, and how many artifacts were cached.
func printPhases(phases []upstream.Phase, load time.Duration) {
	if load > 0 {
		phases = append(phases, upstream.Phase{Name: "load into the nodes", Took: load})
	}
	width, cached := 0, 0
	for _, p := range phases {
		if p.Cached {
			cached++
		} else {
			width = max(width, len(p.Name))
		}
	}
	if cached == len(phases) {
		fmt.Printf("[upstream] built nothing: all %d artifacts cached\n", cached)
		return
	}
	fmt.Printf("[upstream] build phases (%d artifacts cached):\n", cached)
	for _, p := range phases {
		if !p.Cached {
			fmt.Printf("[upstream]   %-*s %8s\n", width, p.Name, upstream.Round(p.Took))
		}
	}
}

// rejectedPackets reads the egress guard's counter (ci/prepare-host.sh
// count), where there is one: as root, with the guard installed.
func rejectedPackets() (int, bool) {
	if os.Geteuid() != 0 {
		return 0, false
	}
	root, err := modroot.Find()
	if err != nil {
		return 0, false
	}
	out, err := exec.Command("bash", filepath.Join(root, "ci", "prepare-host.sh"), "count").Output()
	if err != nil {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(out)))
	return n, err == nil
}

func since(t time.Time) time.Duration { return upstream.Round(time.Since(t)) }

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func exitOn(err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "upstream: %v\n", err)
		os.Exit(1)
	}
}
