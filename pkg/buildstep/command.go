// Package buildstep is what the suite's two from-source builders (the node
// image, pkg/nodeimage, and upstream's conformance binaries and images,
// pkg/upstream) share: running an external step with its output in the
// build log, marking finished artifacts, copying module sources, and
// finding the Debian mirror.
package buildstep

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// Command is one external step of a build. Its output goes to Log; on
// failure the error carries the command and the tail of its output, so the
// user sees why without opening the log.
type Command struct {
	Name  string
	Args  []string
	Dir   string
	Env   []string // added to the environment
	Stdin io.Reader
	Log   io.Writer
}

// Run runs the command.
func (c Command) Run(ctx context.Context) error {
	_, err := c.Output(ctx)
	return err
}

// Output runs the command and returns its stdout (also copied to the log),
// on failure too: `go mod download -json` reports each module's error there.
func (c Command) Output(ctx context.Context) (string, error) {
	cmd := exec.CommandContext(ctx, c.Name, c.Args...)
	cmd.Dir = c.Dir
	cmd.Env = append(os.Environ(), c.Env...)
	cmd.Stdin = c.Stdin
	var stdout bytes.Buffer
	tail := &tailBuffer{max: 4096}
	logw := c.Log
	if logw == nil {
		logw = io.Discard
	}
	fmt.Fprintf(logw, "$ %s %s\n", c.Name, strings.Join(c.Args, " "))
	cmd.Stdout = io.MultiWriter(&stdout, tail, logw)
	cmd.Stderr = io.MultiWriter(tail, logw)
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return stdout.String(), fmt.Errorf("%s %s: %w\n%s", c.Name, strings.Join(c.Args, " "), err, strings.TrimSpace(tail.String()))
	}
	return stdout.String(), nil
}

// GoEnv is `go env name`, or "" when go cannot say.
func GoEnv(name string) string {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// tailBuffer keeps the last max bytes written to it (stdout and stderr
// write from two goroutines).
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = t.buf[len(t.buf)-t.max:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// OutsideModules is a directory outside any Go module, for go commands
// that must not read a go.mod (downloads, installs by version): private to
// this user, in the build cache, never the shared temp directory, where
// another user could plant a go.mod.
func OutsideModules(cacheDir string) string {
	dir := filepath.Join(cacheDir, "outside-modules")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return cacheDir // the go command will say what is wrong with it
	}
	return dir
}
