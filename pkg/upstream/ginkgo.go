package upstream

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// RunOptions say where and how the specs run.
type RunOptions struct {
	Kubeconfig string
	OutDir     string // junit.xml, ginkgo.log
	Procs      int
	Focus      string
	Progress   io.Writer
}

// reservedTaint is the suite's disruption worker's taint. Upstream's
// framework waits, before any spec, until every node without a
// non-blocking taint is schedulable; this one never is, by design.
const reservedTaint = "netconform.io/reserved"

// Run runs the focused specs with the ginkgo CLI and summarises the JUnit.
// The error is non-nil when ginkgo failed (a spec failed, or it could not run).
func Run(ctx context.Context, b *Build, o RunOptions) (*Summary, error) {
	if err := os.MkdirAll(o.OutDir, 0o755); err != nil {
		return nil, err
	}
	full := filepath.Join(o.OutDir, "ginkgo-junit.xml")
	junit := filepath.Join(o.OutDir, "junit.xml")
	logPath := filepath.Join(o.OutDir, "ginkgo.log")
	for _, f := range []string{full, junit} {
		os.Remove(f) // a failed run must not leave the last run's report looking current
	}
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close()

	args := []string{"run", "--procs=" + strconv.Itoa(o.Procs), "--focus=" + o.Focus,
		"-v", "--no-color", "--silence-skips", "--timeout=1h",
		"--output-dir=" + o.OutDir, "--junit-report=" + filepath.Base(full),
		b.E2ETest, "--",
		"--provider=skeleton", "--kubeconfig=" + o.Kubeconfig, "--kubectl-path=" + b.Kubectl,
		"--repo-root=" + b.Tree,
		"--non-blocking-taints=node-role.kubernetes.io/control-plane," + reservedTaint,
	}
	cmd := exec.CommandContext(ctx, b.Ginkgo, args...)
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(b.Kubectl)+":"+os.Getenv("PATH"))
	// ginkgo starts one e2e.test per process: on interrupt, ask the whole
	// group to stop (ginkgo then runs the specs' cleanups), kill if it hangs.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGINT) }
	cmd.WaitDelay = 2 * time.Minute
	counter := &specCounter{}
	fmt.Fprintf(logf, "$ %s %s\n", b.Ginkgo, strings.Join(args, " "))
	cmd.Stdout = io.MultiWriter(logf, counter)
	cmd.Stderr = cmd.Stdout

	p := &progress{out: o.Progress, aliveEvery: 30 * time.Second}
	p.printf("ginkgo at %d processes, focus %s; full output: %s", o.Procs, o.Focus, logPath)
	start := time.Now()
	_, runErr := p.phase("upstream specs (ginkgo)", counter.status, cmd.Run)
	wall := time.Since(start)
	s, err := filterJUnit(full, junit)
	if err != nil {
		if runErr != nil {
			return nil, fmt.Errorf("%w\n(no report: %v; see %s)", runErr, err, logPath)
		}
		return nil, err
	}
	s.Wall, s.Procs = wall, o.Procs
	if runErr == nil && len(s.Specs) == 0 {
		runErr = fmt.Errorf("the focus %q selected no spec of e2e.test %s", o.Focus, b.Version)
	}
	if runErr != nil {
		runErr = fmt.Errorf("%w (log: %s)", runErr, logPath)
	}
	return s, runErr
}

// specCounter follows ginkgo's verbose output for the heartbeat: the
// header it prints ("Will run 49 of 7000 specs") and the line that opens
// each finished spec's report ("• [12.3 seconds]", "• [FAILED] [..]").
type specCounter struct {
	mu                 sync.Mutex
	partial            []byte
	total, done, fails int
}

var willRun = regexp.MustCompile(`Will run (\d+) of (\d+) specs`)

func (c *specCounter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.partial = append(c.partial, p...)
	for {
		i := bytes.IndexByte(c.partial, '\n')
		if i < 0 {
			break
		}
		c.line(string(c.partial[:i]))
		c.partial = c.partial[i+1:]
	}
	return len(p), nil
}

func (c *specCounter) line(l string) {
	if m := willRun.FindStringSubmatch(l); m != nil {
		c.total, _ = strconv.Atoi(m[1])
		return
	}
	if strings.HasPrefix(l, "• [") {
		c.done++
		if !isDigitAfter(l, "• [") {
			c.fails++
		}
	}
}

// isDigitAfter: "• [12.3 seconds]" is a pass, "• [FAILED] ..." is not.
func isDigitAfter(l, prefix string) bool {
	rest := strings.TrimPrefix(l, prefix)
	return rest != "" && rest[0] >= '0' && rest[0] <= '9'
}

func (c *specCounter) status() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.total == 0 {
		return "starting"
	}
	return fmt.Sprintf("%d of %d specs done, %d failed", c.done, c.total, c.fails)
}
