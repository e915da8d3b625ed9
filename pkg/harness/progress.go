package harness

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// progressEvery is how often a running area says which claims it waits on.
const progressEvery = 20 * time.Second

// areaProgress prints one line when an area's claims start, one every
// progressEvery while they run (so a long area shows it is alive and what
// it waits on), and one when they are done.
type areaProgress struct {
	mu      sync.Mutex
	start   time.Time
	done    int
	running []string
	stop    chan struct{}
	ended   bool
}

func (p *areaProgress) beforeFeature(ctx context.Context, _ *envconf.Config, _ *testing.T, f features.Feature) (context.Context, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stop == nil {
		p.start, p.stop = time.Now(), make(chan struct{})
		fmt.Fprintf(os.Stderr, "[area %s] claims running\n", packageName())
		go p.tick(p.stop)
	}
	p.running = append(p.running, f.Name())
	return ctx, nil
}

func (p *areaProgress) afterFeature(ctx context.Context, _ *envconf.Config, _ *testing.T, f features.Feature) (context.Context, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if i := slices.Index(p.running, f.Name()); i >= 0 {
		p.running = slices.Delete(p.running, i, i+1)
	}
	p.done++
	return ctx, nil
}

func (p *areaProgress) tick(stop chan struct{}) {
	t := time.NewTicker(progressEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			p.mu.Lock()
			fmt.Fprintf(os.Stderr, "[area %s] %s: %d claims done, waiting on %s\n", packageName(),
				time.Since(p.start).Round(time.Second), p.done, strings.Join(p.running, ", "))
			p.mu.Unlock()
		}
	}
}

// finish prints the area's total; it is safe when no claim ran.
func (p *areaProgress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stop == nil || p.ended {
		return
	}
	p.ended = true
	close(p.stop)
	fmt.Fprintf(os.Stderr, "[area %s] %d claims done in %s\n", packageName(), p.done, time.Since(p.start).Round(100*time.Millisecond))
}
