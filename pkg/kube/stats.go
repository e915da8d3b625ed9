package kube

import (
	"context"
	"fmt"
	"slices"
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
}

// RunLoad is the load of this process's clients.
var RunLoad = &Load{}

func (l *Load) exec(d time.Duration, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.execs = append(l.execs, d)
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

// String summarises the load, e.g. "1204 execs (p50 0.3s, p90 1.2s, max
// 8.1s, 2 failed); 40 requests waited 3.2s in the client's rate limiter".
func (l *Load) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.execs) == 0 {
		return "no execs"
	}
	d := slices.Clone(l.execs)
	slices.Sort(d)
	at := func(q float64) time.Duration { return d[int(q*float64(len(d)-1))].Round(100 * time.Millisecond) }
	s := fmt.Sprintf("%d execs (p50 %s, p90 %s, max %s, %d failed)", len(d), at(0.5), at(0.9), at(1), l.execFails)
	if l.throttled > 0 {
		s += fmt.Sprintf("; %d requests waited %s in the client's rate limiter", l.throttled, l.waited.Round(100*time.Millisecond))
	}
	return s
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
