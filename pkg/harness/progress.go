package harness

import (
	"context"
	"fmt"
	"io"
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

// runProgress prints, for each area (a top-level test such as TestDNS), one
// line when its claims start, one every progressEvery while some still run
// (so a long run shows it is alive and what it waits on), and one when the
// area's test ends.
type runProgress struct {
	mu    sync.Mutex
	out   io.Writer
	areas map[string]*areaProgress // by top-level test name
	order []string
	stop  chan struct{}
}

type areaProgress struct {
	name    string // the area label of its claims
	start   time.Time
	done    int
	running []string
}

func newRunProgress(out io.Writer) *runProgress {
	return &runProgress{out: out, areas: map[string]*areaProgress{}}
}

// t is the area's test: e2e-framework passes the TestXxx to feature hooks.
func (p *runProgress) beforeFeature(ctx context.Context, _ *envconf.Config, t *testing.T, f features.Feature) (context.Context, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	a := p.areas[t.Name()]
	if a == nil {
		name := t.Name()
		if v := f.Labels()["area"]; len(v) > 0 {
			name = v[0]
		}
		a = &areaProgress{name: name, start: time.Now()}
		p.areas[t.Name()] = a
		p.order = append(p.order, t.Name())
		fmt.Fprintf(p.out, "[area %s] claims running\n", a.name)
		if p.stop == nil {
			p.stop = make(chan struct{})
			go p.tick(p.stop)
		}
	}
	a.running = append(a.running, f.Name())
	return ctx, nil
}

func (p *runProgress) afterFeature(ctx context.Context, _ *envconf.Config, t *testing.T, f features.Feature) (context.Context, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if a := p.areas[t.Name()]; a != nil {
		if i := slices.Index(a.running, f.Name()); i >= 0 {
			a.running = slices.Delete(a.running, i, i+1)
		}
		a.done++
	}
	return ctx, nil
}

// afterTest prints the area's total when its test ends.
func (p *runProgress) afterTest(ctx context.Context, _ *envconf.Config, t *testing.T) (context.Context, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if a := p.areas[t.Name()]; a != nil {
		fmt.Fprintf(p.out, "[area %s] %d claims done in %s\n", a.name, a.done, time.Since(a.start).Round(100*time.Millisecond))
		delete(p.areas, t.Name())
		p.order = slices.DeleteFunc(p.order, func(n string) bool { return n == t.Name() })
	}
	return ctx, nil
}

func (p *runProgress) tick(stop chan struct{}) {
	t := time.NewTicker(progressEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			p.report()
		}
	}
}

// report prints a line for each area that still waits on claims.
func (p *runProgress) report() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, n := range p.order {
		a := p.areas[n]
		if len(a.running) == 0 {
			continue
		}
		fmt.Fprintf(p.out, "[area %s] %s: %d claims done, waiting on %s\n", a.name,
			time.Since(a.start).Round(time.Second), a.done, strings.Join(a.running, ", "))
	}
}

// finish stops the ticker; it is safe when no claim ran.
func (p *runProgress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stop != nil {
		close(p.stop)
		p.stop = nil
	}
}
