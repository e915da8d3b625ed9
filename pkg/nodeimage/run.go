package nodeimage

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// command is one external step of the build. Output goes to the build log;
// on failure the error carries the command and the tail of its output.
type command struct {
	name  string
	args  []string
	dir   string
	env   []string
	stdin io.Reader
	log   io.Writer
}

func (c command) run(ctx context.Context) error {
	_, err := c.output(ctx)
	return err
}

// output runs the command and returns its stdout (also copied to the log).
func (c command) output(ctx context.Context) (string, error) {
	cmd := exec.CommandContext(ctx, c.name, c.args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), c.env...)
	cmd.Stdin = c.stdin
	var stdout bytes.Buffer
	tail := &tailBuffer{max: 4096}
	logw := c.log
	if logw == nil {
		logw = io.Discard
	}
	fmt.Fprintf(logw, "$ %s %s\n", c.name, strings.Join(c.args, " "))
	cmd.Stdout = io.MultiWriter(&stdout, tail, logw)
	cmd.Stderr = io.MultiWriter(tail, logw)
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", fmt.Errorf("%s %s: %w\n%s", c.name, strings.Join(c.args, " "), err, strings.TrimSpace(tail.String()))
	}
	return stdout.String(), nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = t.buf[len(t.buf)-t.max:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(t.buf) }
