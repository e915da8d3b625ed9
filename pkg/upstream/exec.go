package upstream

import (
	"fmt"
	"io"
	"sync"
	"time"
)

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
