package kube

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"k8s.io/client-go/util/flowcontrol"
)

// Load is what the run asked of the API server, for the line a run ends
// with: how long probe execs took (a slow exec is the machine, not the
// network, and this shows how slow) and how long requests queued in the
// client's own rate limiter.
type Load struct {
	mu        sync.Mutex
	execs     []time.Duration
	execFails int
	throttled int
	waited    time.Duration
	byClaim   map[string]*claimProbes
	agents    []time.Duration
}

// claimProbes is one claim's share of the probes: where a run's probe
// time goes, for finding what to cut.
type claimProbes struct {
	n     int
	total time.Duration
}

type claimKey struct{}

// WithClaim marks ctx as working for claim id, so its probes are counted
// against that claim.
func WithClaim(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, claimKey{}, id)
}

func claimOf(ctx context.Context) string {
	if id, ok := ctx.Value(claimKey{}).(string); ok {
		return id
	}
	return "(set-up)"
}

// RunLoad is the load of this process's clients.
var RunLoad = &Load{}

func (l *Load) exec(claim string, d time.Duration, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.execs = append(l.execs, d)
	l.count(claim, d)
	if err != nil {
		l.execFails++
	}
}

func (l *Load) throttle(d time.Duration) {
	if d < time.Millisecond {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.throttled++
	l.waited += d
}

// String summarises the load, e.g. "310 probes by agent (p50 0.1s, p90
// 0.4s, max 2.1s); 12 execs (p50 0.3s, p90 1.2s, max 8.1s, 2 failed); 40
// requests waited 3.2s in the client's rate limiter".
func (l *Load) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var parts []string
	if len(l.agents) > 0 {
		parts = append(parts, fmt.Sprintf("%d probes by agent (%s)", len(l.agents), quantiles(l.agents)))
	}
	if len(l.execs) > 0 {
		parts = append(parts, fmt.Sprintf("%d execs (%s, %d failed)", len(l.execs), quantiles(l.execs), l.execFails))
	}
	if len(parts) == 0 {
		parts = append(parts, "no probes")
	}
	if l.throttled > 0 {
		parts = append(parts, fmt.Sprintf("%d requests waited %s in the client's rate limiter", l.throttled, l.waited.Round(100*time.Millisecond)))
	}
	return strings.Join(parts, "; ")
}

func quantiles(ds []time.Duration) string {
	d := slices.Clone(ds)
	slices.Sort(d)
	at := func(q float64) time.Duration { return d[int(q*float64(len(d)-1))].Round(100 * time.Millisecond) }
	return fmt.Sprintf("p50 %s, p90 %s, max %s", at(0.5), at(0.9), at(1))
}

func (l *Load) agent(claim string, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.agents = append(l.agents, d)
	l.count(claim, d)
}

// count adds a probe of claim's (by exec or agent) that took d.
func (l *Load) count(claim string, d time.Duration) {
	if l.byClaim == nil {
		l.byClaim = map[string]*claimProbes{}
	}
	if l.byClaim[claim] == nil {
		l.byClaim[claim] = &claimProbes{}
	}
	l.byClaim[claim].n++
	l.byClaim[claim].total += d
}

// ByClaim lists the claims by the time their probes took, most first, a
// line each: "SVC-13 42 probes 31.2s".
func (l *Load) ByClaim() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	ids := make([]string, 0, len(l.byClaim))
	for id := range l.byClaim {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		if d := l.byClaim[b].total - l.byClaim[a].total; d != 0 {
			return int(d)
		}
		return strings.Compare(a, b)
	})
	var b strings.Builder
	for _, id := range ids {
		fmt.Fprintf(&b, "%s %d probes %s\n", id, l.byClaim[id].n, l.byClaim[id].total.Round(100*time.Millisecond))
	}
	return b.String()
}

// timedLimiter is a token bucket that records how long each request
// waited in it.
type timedLimiter struct {
	flowcontrol.RateLimiter
	load *Load
}

func (t timedLimiter) Wait(ctx context.Context) error {
	start := time.Now()
	err := t.RateLimiter.Wait(ctx)
	t.load.throttle(time.Since(start))
	return err
}
