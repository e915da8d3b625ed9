package nodeimage

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// progress prints one line per phase with its elapsed time, and a heartbeat
// every aliveEvery while a phase runs, so a long build visibly lives.
type progress struct {
	out        io.Writer
	prefix     string
	aliveEvery time.Duration
	mu         sync.Mutex
	depth      atomic.Int32 // phases running; only the innermost shows a heartbeat
}

func newProgress(out io.Writer, prefix string) *progress {
	return &progress{out: out, prefix: prefix, aliveEvery: 30 * time.Second}
}

func (p *progress) printf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.out, "[%s] "+format+"\n", append([]any{p.prefix}, args...)...)
}

// phase runs fn, printing "name: done in 1m2s" or the failure.
func (p *progress) phase(name string, fn func() error) error {
	start := time.Now()
	mine := p.depth.Add(1)
	defer p.depth.Add(-1)
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(p.aliveEvery)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if p.depth.Load() == mine {
					p.printf("%s: still running (%s)", name, since(start))
				}
			}
		}
	}()
	err := fn()
	close(stop)
	if err != nil {
		p.printf("%s: FAILED after %s", name, since(start))
		return fmt.Errorf("%s: %w", name, err)
	}
	p.printf("%s: done in %s", name, since(start))
	return nil
}

func since(t time.Time) time.Duration { return time.Since(t).Round(100 * time.Millisecond) }
