package upstream

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// command is one external step. Its output goes to the build log; on
// failure the error carries the command and the tail of its output, so the
// user sees why without opening the log.
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

// output runs the command and returns its stdout (also copied to the log),
// on failure too: `go mod download -json` reports each module's error there.
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
		return stdout.String(), fmt.Errorf("%s %s: %w\n%s", c.name, strings.Join(c.args, " "), err, strings.TrimSpace(tail.String()))
	}
	return stdout.String(), nil
}

// tailBuffer keeps the last max bytes written to it.
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

// progress prints one line per step with its elapsed time, and a heartbeat
// while a step runs, so a 10-minute compile visibly lives.
type progress struct {
	out        io.Writer
	aliveEvery time.Duration
	mu         sync.Mutex
}

func (p *progress) printf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.out, "[upstream] "+format+"\n", args...)
}

// phase runs fn, printing "name: done in 1m2s" or the failure; status, if
// not nil, adds what the step has got to to each heartbeat.
func (p *progress) phase(name string, status func() string, fn func() error) (time.Duration, error) {
	start := time.Now()
	p.printf("%s ...", name)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(p.aliveEvery)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				extra := ""
				if status != nil {
					extra = ", " + status()
				}
				p.printf("%s: still running (%s%s)", name, since(start), extra)
			}
		}
	}()
	err := fn()
	close(stop)
	<-done
	took := time.Since(start)
	if err != nil {
		p.printf("%s: FAILED after %s", name, since(start))
		return took, fmt.Errorf("%s: %w", name, err)
	}
	p.printf("%s: done in %s", name, since(start))
	return took, nil
}

func since(t time.Time) time.Duration { return round(time.Since(t)) }

// round keeps tenths under a minute and whole seconds above: "42.3s", "9m12s".
func round(d time.Duration) time.Duration {
	if d >= time.Minute {
		return d.Round(time.Second)
	}
	return d.Round(100 * time.Millisecond)
}

// Round is round for the command's own lines.
func Round(d time.Duration) time.Duration { return round(d) }
