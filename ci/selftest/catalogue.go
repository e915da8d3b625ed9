package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/netconform/netconform/pkg/claims"
)

// catalogue is the suite's test binary, compiled once and run per step.
type catalogue struct {
	binary  string
	testDir string   // the binary runs where go test would run it
	env     []string // of every run
	args    []string
	out     string // each step's results, log and artifacts go to out/<step>
}

// compile builds the one test binary of the suite.
func compile(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "tests.test")
	cmd := exec.CommandContext(ctx, "go", "test", "-c", "-tags", "e2e", "-o", bin, "./tests")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go test -c -tags e2e ./tests: %w\n%s", err, out)
	}
	return bin, nil
}

// childEnv is this process's environment for the catalogue: the suite's
// kept cluster by name (KUBECONFIG unset, else the harness would take it as
// an existing cluster), or the given kubeconfig.
func childEnv(m mode, name, kubeconfig string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "KUBECONFIG", "NETCONFORM_KEEP_CLUSTER", "NETCONFORM_CLUSTER_NAME", "NETCONFORM_RESULTS", "NETCONFORM_ARTIFACTS", "NETCONFORM_RUN_OWNER":
			continue
		}
		env = append(env, kv)
	}
	// This process owns the cluster across the runs, so no other run of the
	// suite adopts it while a fault is applied between two of them.
	env = append(env, "NETCONFORM_KEEP_CLUSTER=1", "NETCONFORM_CLUSTER_NAME="+name, "NETCONFORM_RUN_OWNER="+strconv.Itoa(os.Getpid()))
	if m == existingCluster {
		env = append(env, "KUBECONFIG="+kubeconfig)
	}
	return env
}

// run runs the catalogue once as step and reads its verdicts. The binary
// exits non-zero whenever a claim failed, which a fault means to cause:
// only a run without verdicts is an error.
func (c catalogue) run(ctx context.Context, step string) (map[string]claims.Result, error) {
	dir := filepath.Join(c.out, step)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	results := filepath.Join(dir, "results.jsonl")
	os.Remove(results)
	logPath := filepath.Join(dir, "go-test.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	cmd := exec.CommandContext(ctx, c.binary, append([]string{"-test.v", "-test.count=1"}, c.args...)...)
	cmd.Dir = c.testDir
	cmd.Env = append(clone(c.env), "NETCONFORM_RESULTS="+results, "NETCONFORM_ARTIFACTS="+dir)
	// Interrupted, the run gets what Ctrl-C gives it: time to write its
	// verdicts and remove its namespaces.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = time.Minute
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	done := make(chan struct{})
	go func() {
		defer close(done)
		relayProgress(pr, logFile, os.Stdout, "  "+step+" ")
	}()
	runErr := cmd.Run()
	pw.Close()
	<-done
	f, err := os.Open(results)
	if err != nil {
		return nil, fmt.Errorf("no verdicts (%v; exit: %v); log %s", err, runErr, logPath)
	}
	defer f.Close()
	res, err := claims.ReadResults(f)
	if err == nil && len(res) == 0 {
		err = fmt.Errorf("no verdicts (exit: %v); log %s", runErr, logPath)
	}
	return res, err
}

// relayProgress copies the run's output to log, and its progress lines
// (the harness's [cluster], [area ...], [report] lines) to the terminal.
func relayProgress(r io.Reader, log, terminal io.Writer, prefix string) {
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 64*1024), 4*1024*1024)
	for s.Scan() {
		line := s.Text()
		fmt.Fprintln(log, line)
		for _, p := range []string{"[cluster]", "[area ", "[report]", "[preflight]", "netconform:"} {
			if strings.HasPrefix(line, p) {
				fmt.Fprintln(terminal, prefix+line)
				break
			}
		}
	}
	io.Copy(log, r) // past an over-long line: keep the rest in the log
}

func clone(s []string) []string { return append([]string(nil), s...) }
