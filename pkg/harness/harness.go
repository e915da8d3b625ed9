// Package harness wires the suite into sigs.k8s.io/e2e-framework: one
// cluster per `go test` run, shared by every test package, built from
// source and kept on the machine (hermetic), or an existing cluster given
// by kubeconfig.
package harness

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kindcluster"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/modroot"
	"github.com/netconform/netconform/pkg/nodeimage"
	"github.com/netconform/netconform/pkg/testimage"
	"github.com/netconform/netconform/pkg/verdict"
	"sigs.k8s.io/e2e-framework/pkg/env"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
)

// Suite is what tests use: a client, the probe image, how the cluster was made.
type Suite struct {
	Client      *kube.Client
	ProbeImage  string
	ClusterName string // kind mode only
	Kind        bool   // the suite made (or reused) a kind cluster
	Hermetic    bool   // egress guard up, CoreDNS cannot forward
	Kubeconfig  string
	Context     string // existing cluster: the kubeconfig context in use
	ImageRepo   string // existing cluster: where nodes pull the probe image ("" = loaded into them)
	Unconverged string // what had not converged when the claims began ("" = all had)
}

var current atomic.Pointer[Suite]

// Current returns the suite of this run; it exists once Setup has run.
func Current() *Suite { return current.Load() }

var failed atomic.Bool

// New builds the environment of a test package. Call it first in TestMain:
//
//	testenv = harness.New()
//	os.Exit(testenv.Run(m))
func New() env.Environment {
	kindcluster.MaybeRunReaper() // never returns when this process is the reaper
	root, err := modroot.Find()
	if err != nil {
		fatal(err)
	}
	opts := registerFlags(root)
	artifactsRoot = &opts.Artifacts // read after the flags are parsed
	explainInterrupt(opts)
	cfg, err := envconf.NewFromFlags()
	if err != nil {
		fatal(err)
	}
	if !cfg.FailFast() {
		cfg.WithParallelTestEnabled() // features of an area run in parallel, each in its own namespaces
	}
	allAreasAtOnce()
	e := env.NewWithConfig(cfg)
	var setupErr error
	e.Setup(func(ctx context.Context, cfg *envconf.Config) (context.Context, error) {
		dir, err := claimArtifacts(opts.Artifacts, os.Stderr)
		if err != nil {
			setupErr = err
			return ctx, err
		}
		opts.Artifacts = dir
		if err := verdict.BeginRun(); err != nil {
			return ctx, fmt.Errorf("results file %s: %w", verdict.ResultsFile(), err)
		}
		s, err := setup(ctx, cfg, opts, root)
		if err != nil {
			setupErr = err
			fmt.Fprintf(os.Stderr, "\nnetconform: %v\n\n", err)
			return ctx, err
		}
		current.Store(s)
		kube.ProbeImagePullPolicy = s.ProbePullPolicy()
		return ctx, nil
	})
	progress := newRunProgress(os.Stderr)
	e.BeforeEachFeature(progress.beforeFeature)
	e.AfterEachFeature(progress.afterFeature)
	e.AfterEachTest(progress.afterTest)
	e.AfterEachTest(func(ctx context.Context, _ *envconf.Config, t *testing.T) (context.Context, error) {
		if t.Failed() {
			failed.Store(true)
		}
		markUncacheable(opts.Artifacts, true)
		return ctx, nil
	})
	e.Finish(func(ctx context.Context, cfg *envconf.Config) (context.Context, error) {
		progress.finish()
		finish(ctx, opts)
		stopped := ""
		if setupErr != nil {
			stopped = firstLine(setupErr.Error())
		}
		if err := verdict.EndRun(stopped); err != nil {
			fmt.Fprintf(os.Stderr, "netconform: recording the claims that did not run: %v\n", err)
		}
		writeReport()
		markUncacheable(opts.Artifacts, false)
		return ctx, nil
	})
	return e
}

func setup(ctx context.Context, cfg *envconf.Config, o *Options, root string) (*Suite, error) {
	setThisRun()
	n, err := o.validate() // before anything is made or changed
	if err != nil {
		return nil, err
	}
	kube.MaxClaimNodes = n
	if kc := givenKubeconfig(cfg); kc != "" {
		s, err := existingCluster(ctx, cfg, o, root, kc)
		if err == nil {
			removeDeadRuns(ctx, s.Client, os.Stderr)
			s.Unconverged = waitConverged(ctx, s.Client, os.Stderr)
		}
		return s, err
	}
	var node string
	s, err := kindSetup(ctx, cfg, o, root, &node)
	if err == nil {
		removeDeadRuns(ctx, s.Client, os.Stderr)
		err = resetKubeProxySwitch(ctx, s.Client, os.Stderr)
	}
	if err == nil {
		s.Unconverged = waitConverged(ctx, s.Client, os.Stderr)
	}
	recordCell(ctx, o, s, node, err)
	return s, err
}

// kindSetup makes (or reuses) the run's hermetic kind cluster; node is set
// to the node image as soon as it is known.
func kindSetup(ctx context.Context, cfg *envconf.Config, o *Options, root string, node *string) (*Suite, error) {
	s := &Suite{Kind: true, Hermetic: true, ClusterName: o.ClusterName}
	dataplane, err := o.Dataplane.parse() // a typo fails here, in a second, before anything exists
	if err != nil {
		return nil, err
	}
	if err := prepareHost(ctx, root); err != nil {
		return nil, err
	}
	if *node, err = nodeImage(ctx, o); err != nil {
		return nil, err
	}
	if s.ProbeImage, err = testimage.Build(ctx, root, os.Stderr); err != nil {
		return nil, err
	}
	spec := kindcluster.Spec{Workers: o.Workers, ReservedNodes: reservedNodes, Dataplane: dataplane, EtcdImageTag: nodeimage.EtcdImageTag, CoreDNSImageTag: nodeimage.CoreDNSImageTag}
	spec.Detect()
	owner, ok := runOwner()
	if !ok {
		return nil, fmt.Errorf("cannot identify the go test process (pid %d)", os.Getppid())
	}
	guardBefore := guardRejected(ctx, root)
	h, err := kindcluster.Acquire(ctx, kindcluster.Options{
		Name: o.ClusterName, NodeImage: *node, Spec: spec, Keep: o.KeepCluster,
		StateDir: filepath.Join(nodeimage.DefaultCacheDir(), "clusters"), Owner: owner, Log: os.Stderr,
		Unguard: []string{"bash", filepath.Join(root, "ci", "prepare-host.sh"), "unguard"},
		Prepare: func(ctx context.Context, kubeconfig string) error {
			return prepareCluster(ctx, kubeconfig, o.ClusterName, s.ProbeImage, dataplane)
		},
		Adopt: func(ctx context.Context, _ string) error {
			ctx, cancel := context.WithTimeout(ctx, 5*time.Minute) // a node's image import must not hang the run
			defer cancel()
			return kindcluster.LoadImage(ctx, o.ClusterName, s.ProbeImage) // the kept cluster may predate this probe image
		},
	})
	if err != nil {
		return nil, err
	}
	if h.Created {
		fmt.Fprintf(os.Stderr, "[guard] packets rejected during cluster create: %d\n", guardRejected(ctx, root)-guardBefore)
	}
	cfg.WithKubeconfigFile(h.Kubeconfig)
	s.Kubeconfig = h.Kubeconfig
	if s.Client, err = clientFor(cfg); err != nil {
		return nil, err
	}
	return s, nil
}

// runOwner is the process the run's cluster lives for: the `go test` that
// runs this test binary, or the binary itself when it was run directly
// (compiled once with go test -c and run, as CI and make bench do), or a
// process named by NETCONFORM_RUN_OWNER that runs it several times and
// holds the cluster between runs (make selftest, with faults applied).
func runOwner() (kindcluster.Process, bool) {
	if v := os.Getenv("NETCONFORM_RUN_OWNER"); v != "" {
		if pid, err := strconv.Atoi(v); err == nil {
			return kindcluster.ProcessOf(pid)
		}
	}
	ppid := os.Getppid()
	if comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", ppid)); err == nil && strings.TrimSpace(string(comm)) == "go" {
		return kindcluster.ProcessOf(ppid)
	}
	return kindcluster.ProcessOf(os.Getpid())
}

// prepareCluster runs once per created cluster: the CNI installed unless
// it is the node image's own, system pods up, CoreDNS unable to forward,
// the probe image in every node.
func prepareCluster(ctx context.Context, kubeconfig, name, probeImage string, d kindcluster.Dataplane) error {
	start := time.Now()
	cfg := envconf.NewWithKubeConfig(kubeconfig)
	c, err := clientFor(cfg)
	if err != nil {
		return err
	}
	if !d.BakedIn() {
		if err := installCNI(ctx, c, name, kubeconfig, d); err != nil {
			return err
		}
	}
	if err := kindcluster.LoadImage(ctx, name, probeImage); err != nil {
		return err
	}
	if err := makeDNSHermetic(ctx, c); err != nil {
		return err
	}
	if err := installKubeProxySwitch(ctx, c); err != nil {
		return fmt.Errorf("kube-proxy's per-node switch: %w", err)
	}
	// The system pods are waited for next, on every path (waitConverged).
	fmt.Fprintf(os.Stderr, "[cluster] %s: probe image loaded, CoreDNS hermetic in %s\n", name, time.Since(start).Round(100*time.Millisecond))
	return nil
}

// nodeImage returns the node image to use, building it when needed.
func nodeImage(ctx context.Context, o *Options) (string, error) {
	if o.NodeImage != "" {
		if exec.CommandContext(ctx, "docker", "image", "inspect", o.NodeImage).Run() != nil {
			return "", fmt.Errorf("node image %s is not in Docker: build one with `make node-image K8S_VERSION=...` or drop --node-image", o.NodeImage)
		}
		return o.NodeImage, nil
	}
	opts := nodeimage.Options{KubernetesVersion: o.K8sVersion}
	ref, err := nodeimage.NodeImageRef(opts)
	if err != nil {
		return "", err
	}
	if exec.CommandContext(ctx, "docker", "image", "inspect", ref).Run() != nil {
		if t := testTimeout(); t != 0 && t < 45*time.Minute {
			return "", fmt.Errorf("the node image %s is not built yet: building it from source takes about %s on this machine's %d cores, more than go test's -timeout %s allows.\nBuild the images first with `make images K8S_VERSION=%s` (then rerun this command), or run `make e2e`, which builds them first", ref, nodeimage.ColdBuildEstimate(), runtime.NumCPU(), t, o.K8sVersion)
		}
	}
	return nodeimage.Build(ctx, opts)
}

// prepareHost installs Docker when missing and puts up the egress guard;
// both must exist before any cluster does.
func prepareHost(ctx context.Context, root string) error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("hermetic kind mode must run as root: it starts dockerd and installs the egress guard (ci/prepare-host.sh).\nRun `sudo ci/prepare-host.sh` and the suite as root, or give an existing cluster with --kubeconfig")
	}
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(root, "ci", "prepare-host.sh"))
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("prepare host (ci/prepare-host.sh): %w", err)
	}
	return nil
}

// guardRejected is the number of packets the egress guard has rejected so far.
func guardRejected(ctx context.Context, root string) int {
	out, err := exec.CommandContext(ctx, "bash", filepath.Join(root, "ci", "prepare-host.sh"), "count").Output()
	if err != nil {
		return -1
	}
	var n int
	fmt.Sscan(strings.TrimSpace(string(out)), &n)
	return n
}

func finish(ctx context.Context, o *Options) {
	s := Current()
	if s == nil {
		return
	}
	fmt.Fprintf(os.Stderr, "[load] %s\n", kube.RunLoad)
	writeLoadByClaim(o.Artifacts)
	if failed.Load() {
		dir := failureDir()
		if err := exportDiagnostics(ctx, s, dir); err != nil {
			fmt.Fprintf(os.Stderr, "[artifacts] export failed: %v\n", err)
		} else {
			fmt.Fprintf(os.Stderr, "[artifacts] cluster logs and events of the failed run: %s\n", dir)
		}
	}
	if s.Kind {
		if root, err := modroot.Find(); err == nil {
			fmt.Fprintf(os.Stderr, "[guard] packets rejected so far by the egress guard: %d\n", guardRejected(ctx, root))
		}
	}
}

// explainInterrupt tells the user, on Ctrl-C, what happens to the cluster:
// the reaper deletes it once `go test` exits, unless it is kept. A cluster
// that stays (existing mode, or kept) loses this run's namespaces first.
func explainInterrupt(o *Options) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-sigs
		if s := Current(); s == nil || s.Kind {
			if o.KeepCluster {
				fmt.Fprintf(os.Stderr, "\nnetconform: %v: kind cluster %s is kept (--keep-cluster); remove it with `make clean`\n", sig, o.ClusterName)
			} else {
				fmt.Fprintf(os.Stderr, "\nnetconform: %v: kind cluster %s will be deleted as soon as go test exits; if it is still there, run `make clean` (or `kind delete cluster --name %s`)\n", sig, o.ClusterName, o.ClusterName)
			}
		}
		if s := Current(); s != nil && (!s.Kind || o.KeepCluster) && kube.ThisRun != (kube.Run{}) {
			removeThisRun(s.Client, os.Stderr)
		}
		os.Exit(130)
	}()
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func fatal(err error) {
	fmt.Fprintf(os.Stderr, "netconform: %v\n", err)
	os.Exit(2)
}

// writeLoadByClaim leaves each claim's probe count and time (by agent and
// by exec) beside the run's other artifacts (load.txt): where a slow run's
// probe time went.
func writeLoadByClaim(dir string) {
	if err := os.MkdirAll(dir, 0o755); err == nil {
		_ = os.WriteFile(filepath.Join(dir, "load.txt"), []byte(kube.RunLoad.ByClaim()), 0o644)
	}
}
