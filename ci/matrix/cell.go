package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/netconform/netconform/pkg/claims"
	"github.com/netconform/netconform/pkg/kindcluster"
	"github.com/netconform/netconform/pkg/nodeimage"
)

type imageResult struct {
	ref string
	err error
}

// runCell builds or reuses the node image, runs the packages on a fresh
// cluster of the cell's dataplane, waits until the cluster is gone, and
// records the cell (run.json, per-cell report).
func runCell(ctx context.Context, c config, index int, cell claims.Cell, images map[string]imageResult) (claims.CellRun, map[string]claims.Result) {
	start := time.Now()
	run := claims.CellRun{Index: index, Name: cell.Name(), Cell: cell}
	dir := filepath.Join(c.out, run.Name)
	results := map[string]claims.Result{}
	finish := func() (claims.CellRun, map[string]claims.Result) {
		run.Seconds = time.Since(start).Seconds()
		if err := writeCell(dir, run, results); err != nil {
			fmt.Fprintf(os.Stderr, "[matrix] record cell %s: %v\n", run.Name, err)
		}
		return run, results
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		run.Error = err.Error()
		return finish()
	}
	fmt.Printf("[matrix] %d: %s: running (log: %s)\n", index, cell, filepath.Join(dir, "go-test.log"))

	img, ok := images[cell.K8sVersion]
	if !ok { // a failed build is not retried for the next cell of the same version
		img.ref, img.err = buildImage(ctx, cell.K8sVersion, dir)
		images[cell.K8sVersion] = img
	}
	if img.err != nil {
		run.Error = "node image build failed: " + img.err.Error()
		return finish()
	}
	run.Cell.NodeImage = img.ref

	guardBefore := guardCount()
	run.GoTestExit = goTest(ctx, c, cell, img.ref, dir)
	if err := waitClusterGone(c.clusterName); err != nil {
		fmt.Fprintf(os.Stderr, "[matrix] %v\n", err)
	}
	run.GuardRejected = guardCount() - guardBefore

	resultsPath := filepath.Join(dir, "results.jsonl")
	if f, err := os.Open(resultsPath); err == nil {
		results, err = claims.ReadResults(f)
		f.Close()
		if err != nil {
			run.Error = err.Error()
		}
	}
	harnessCell, _ := claims.ReadCell(claims.CellFile(resultsPath))
	if harnessCell != nil && harnessCell.SetupError == "" {
		run.Cell.K8sVersion = harnessCell.K8sVersion // as the API server reported it
	}
	if len(results) == 0 && run.Error == "" {
		run.Error = whyNoVerdicts(run.GoTestExit, harnessCell, filepath.Join(dir, "go-test.log"))
	}
	return finish()
}

// buildImage builds the node image of version, or finds it cached; the
// build's progress goes to the cell's image.log.
func buildImage(ctx context.Context, version, dir string) (string, error) {
	logFile, err := os.Create(filepath.Join(dir, "image.log"))
	if err != nil {
		return "", err
	}
	defer logFile.Close()
	ref, _ := nodeimage.NodeImageRef(nodeimage.Options{KubernetesVersion: version})
	if exec.Command("docker", "image", "inspect", ref).Run() != nil {
		fmt.Printf("[matrix] building node image %s (a cold build takes 10-15 min; progress: %s)\n", ref, logFile.Name())
	}
	return nodeimage.Build(ctx, nodeimage.Options{KubernetesVersion: version, Progress: logFile})
}

// goTest runs the cell's packages as ci/e2e.sh does (gotestsum, JUnit, one
// test binary with every area at once) against a cluster of the cell's dataplane.
func goTest(ctx context.Context, c config, cell claims.Cell, image, dir string) int {
	logFile, err := os.Create(filepath.Join(dir, "go-test.log"))
	if err != nil {
		return -1
	}
	defer logFile.Close()
	args := []string{"tool", "gotestsum", "--format", "standard-verbose", "--junitfile", filepath.Join(dir, "junit.xml"), "--",
		"-tags", "e2e", "-count=1", "-timeout", c.timeout.String()}
	args = append(append(args, c.packages...), c.goTestFlags...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Env = append(cellEnv(os.Environ()),
		"NETCONFORM_CLUSTER_NAME="+c.clusterName,
		"NETCONFORM_K8S_VERSION="+cell.K8sVersion,
		"NETCONFORM_NODE_IMAGE="+image,
		"NETCONFORM_CNI="+cell.CNI,
		"NETCONFORM_PROXY_MODE="+cell.ProxyMode,
		"NETCONFORM_IP_FAMILY="+cell.IPFamily,
		"NETCONFORM_RESULTS="+mustAbs(filepath.Join(dir, "results.jsonl")),
		"NETCONFORM_ARTIFACTS="+mustAbs(dir),
	)
	// On Ctrl-C go test gets the signal too; give it time to finish its
	// packages so the reaper deletes the cluster.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGINT) }
	cmd.WaitDelay = time.Minute
	err = cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exitErr):
		return exitErr.ExitCode()
	default:
		fmt.Fprintf(logFile, "\nmatrix: go test: %v\n", err)
		return -1
	}
}

// cellEnv drops what would send the run elsewhere: a kubeconfig (existing
// cluster mode) and a kept cluster. The cell's own NETCONFORM_* settings
// come after and win (exec keeps the last of duplicate keys).
func cellEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if name != "KUBECONFIG" && name != "NETCONFORM_KEEP_CLUSTER" {
			out = append(out, kv)
		}
	}
	return out
}

// waitClusterGone waits for the reaper, which deletes the cluster once go
// test has exited, and deletes the cluster itself if the reaper did not.
func waitClusterGone(name string) error {
	deadline := time.Now().Add(90 * time.Second)
	for {
		out, err := exec.Command("docker", "ps", "-aq", "--filter", "label=io.x-k8s.kind.cluster="+name).Output()
		if err == nil && strings.TrimSpace(string(out)) == "" {
			return nil
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if err := kindcluster.Delete(filepath.Join(nodeimage.DefaultCacheDir(), "clusters"), name); err != nil {
		return fmt.Errorf("cluster %s still there 90 s after go test ended, and deleting it failed: %w (run `make clean`)", name, err)
	}
	return nil
}

// whyNoVerdicts is the reason a cell produced no verdict: the harness's
// setup error (cluster create, CNI install), else the log's own words.
func whyNoVerdicts(exit int, cell *claims.Cell, log string) string {
	if cell != nil && cell.SetupError != "" {
		return "setup failed: " + cell.SetupError
	}
	if f, err := os.Open(log); err == nil {
		defer f.Close()
		s := bufio.NewScanner(f)
		s.Buffer(make([]byte, 1<<20), 1<<20)
		for s.Scan() {
			if msg, ok := strings.CutPrefix(s.Text(), "netconform: "); ok {
				return "setup failed: " + msg
			}
		}
	}
	return fmt.Sprintf("go test exit code %d and no verdicts: see %s", exit, log)
}

func writeCell(dir string, run claims.CellRun, results map[string]claims.Result) error {
	raw, err := json.MarshalIndent(run, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, claims.CellRunFile), append(raw, '\n'), 0o644); err != nil {
		return err
	}
	if run.Error != "" {
		return nil
	}
	rep := claims.Build(results)
	rep.Cell = &run.Cell
	return rep.WriteFiles(filepath.Join(dir, "report"))
}

func prepareHost() error {
	cmd := exec.Command("bash", "ci/prepare-host.sh")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("ci/prepare-host.sh: %w", err)
	}
	return nil
}

// guardCount is the number of packets the egress guard has rejected so far.
func guardCount() int {
	out, err := exec.Command("bash", "ci/prepare-host.sh", "count").Output()
	if err != nil {
		return 0
	}
	var n int
	fmt.Sscan(strings.TrimSpace(string(out)), &n)
	return n
}

func mustAbs(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return abs
}
