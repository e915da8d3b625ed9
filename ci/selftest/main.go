// Command selftest proves that the catalogue's verdicts can go the other
// way: on a cluster the suite made, it runs the catalogue healthy, then
// once per fault of pkg/faults (applied, observed in effect, reverted,
// converged), then healthy again, and reports for every fault which claims
// should have changed (those resting on what it breaks), which did and to
// what, which were missed, and which changed that should not have. It
// writes <out>/selftest.{md,json} and exits 1 on any missed detection,
// unrelated change, or a cluster not as healthy after as before.
//
//	go run ./ci/selftest                        # the suite's kept cluster (made if absent)
//	go run ./ci/selftest -faults coredns-scaled-to-0,kube-proxy-removed
//	go run ./ci/selftest --i-accept-breaking-this-cluster -cluster-name kind
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
	"github.com/netconform/netconform/pkg/faults"
	"github.com/netconform/netconform/pkg/kindcluster"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/modroot"
	"github.com/netconform/netconform/pkg/selftest"
)

type selfTest struct {
	cat           catalogue
	env           *faults.Env
	healthy       map[string]claims.Result
	report        selftest.Report
	convergeBound time.Duration
	start         time.Time
}

func (s *selfTest) logf(format string, args ...any) {
	fmt.Printf("[selftest +%s] %s\n", time.Since(s.start).Round(time.Second), fmt.Sprintf(format, args...))
}

func main() {
	name := flag.String("cluster-name", envOr("NETCONFORM_CLUSTER_NAME", "netconform"), "the kind cluster to break and repair (env NETCONFORM_CLUSTER_NAME)")
	optIn := flag.Bool(optInFlag, false, "use a kind cluster the suite did not make: it will be broken, one mechanism at a time, and repaired")
	only := flag.String("faults", "", "comma-separated faults to apply (default: all): "+strings.Join(faultNames(), ", "))
	out := flag.String("out", "_artifacts/selftest", "directory of the report and of each run's results and logs")
	runTimeout := flag.Duration("run-timeout", 30*time.Minute, "-test.timeout of each catalogue run")
	converge := flag.Duration("converge", 5*time.Minute, "how long the cluster gets to converge after each revert")
	testArgs := flag.String("test-args", "", "more test binary flags for every run, e.g. \"-test.run TestDNS\"")
	flag.Parse()

	root, err := modroot.Find()
	exitOn(err, 2)
	exitOn(os.Chdir(root), 2)
	selected, err := selectFaults(*only)
	exitOn(err, 2)
	m, kubeconfig, err := guard(*name, *optIn)
	exitOn(err, 2)

	// The namespace a fault makes carries this run, so that a later run
	// removes it if this one is killed (pkg/harness, removeDeadRuns).
	if me, ok := kindcluster.ProcessOf(os.Getpid()); ok {
		kube.ThisRun = kube.Run{Host: kube.ThisHost(), PID: me.PID, Start: me.Start}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	s := &selfTest{convergeBound: *converge, start: time.Now()}
	s.report = selftest.Report{Cluster: *name, Started: s.start}
	tmp, err := os.MkdirTemp("", "netconform-selftest-")
	exitOn(err, 2)
	defer os.RemoveAll(tmp)
	outDir, _ := filepath.Abs(*out)
	exitOn(os.RemoveAll(outDir), 2) // this self-test's runs only

	s.logf("compiling the catalogue (go test -c -tags e2e ./tests)")
	bin, err := compile(ctx, root, tmp)
	exitOn(err, 2)
	s.cat = catalogue{binary: bin, testDir: filepath.Join(root, "tests"), env: childEnv(m, *name, kubeconfig),
		args: append([]string{"-test.timeout=" + runTimeout.String()}, strings.Fields(*testArgs)...), out: outDir}

	s.run(ctx, m, *name, kubeconfig, selected)
	s.report.Seconds = time.Since(s.start).Seconds()
	exitOn(s.report.WriteFiles(outDir), 2)
	exitOn(s.report.Markdown(os.Stdout), 2)
	detected, expected := s.report.KillScore()
	s.logf("kill score %d/%d; %d problems; report %s/selftest.{md,json}", detected, expected, len(s.report.Problems()), outDir)
	switch {
	case ctx.Err() != nil:
		os.Exit(130)
	case len(s.report.Problems()) > 0:
		os.Exit(1)
	}
}

// run is the self-test proper: healthy, every fault, healthy again.
func (s *selfTest) run(ctx context.Context, m mode, name, kubeconfig string, selected map[string]bool) {
	t := time.Now()
	s.logf("healthy run (the cluster is made or reused, and kept)")
	var err error
	if s.healthy, err = s.cat.run(ctx, "healthy"); err != nil {
		s.report.Error = "the healthy run gave no verdicts: " + err.Error()
		return
	}
	s.report.Healthy = claims.Build(s.healthy).Counts
	for _, id := range sortedIDs(s.healthy) {
		if s.healthy[id].Verdict == claims.Failed {
			s.report.HealthyFailed = append(s.report.HealthyFailed, id)
		}
	}
	s.report.Steps = append(s.report.Steps, selftest.Step{Name: "healthy", Seconds: time.Since(t).Seconds(), Note: claims.Build(s.healthy).Summary()})
	s.logf("healthy: %s", claims.Build(s.healthy).Summary())

	if s.env, err = connect(ctx, m, name, kubeconfig); err != nil {
		s.report.Error = err.Error()
		return
	}
	for _, f := range faults.Catalogue(s.env) {
		if !selected[f.Name()] || ctx.Err() != nil {
			continue
		}
		d, reverted := s.faultStep(ctx, f)
		s.report.Faults = append(s.report.Faults, d)
		if !reverted {
			s.report.Error = f.Name() + " could not be reverted, so the cluster may still be broken: no further fault, no healthy run again"
			return
		}
	}
	if ctx.Err() != nil {
		s.report.Error = "interrupted"
		return
	}
	t = time.Now()
	s.logf("healthy again")
	again, err := s.cat.run(ctx, "healthy-again")
	if err != nil {
		s.report.AgainError = err.Error()
		return
	}
	s.report.Again = selftest.Stability(s.healthy, again)
	s.report.Steps = append(s.report.Steps, selftest.Step{Name: "healthy-again", Seconds: time.Since(t).Seconds(), Note: claims.Build(again).Summary()})
	s.logf("healthy again: %s; %d verdicts differ from the first run", claims.Build(again).Summary(), len(s.report.Again))
}

func faultNames() []string {
	var out []string
	for _, f := range faults.Catalogue(nil) {
		out = append(out, f.Name())
	}
	return out
}

// selectFaults checks -faults before anything runs: a typo fails at once.
func selectFaults(list string) (map[string]bool, error) {
	all := map[string]bool{}
	for _, n := range faultNames() {
		all[n] = true
	}
	if strings.TrimSpace(list) == "" {
		return all, nil
	}
	out := map[string]bool{}
	for _, n := range strings.Split(list, ",") {
		n = strings.TrimSpace(n)
		if !all[n] {
			return nil, fmt.Errorf("no fault %q; the faults are: %s", n, strings.Join(faultNames(), ", "))
		}
		out[n] = true
	}
	return out, nil
}

func sortedIDs(res map[string]claims.Result) []string {
	ids := make([]string, 0, len(res))
	for id := range res {
		ids = append(ids, id)
	}
	sortClaims(ids)
	return ids
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func exitOn(err error, code int) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "selftest: %v\n", err)
		os.Exit(code)
	}
}
