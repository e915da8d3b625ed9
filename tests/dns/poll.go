//go:build e2e

package dns

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/netconform/netconform/pkg/kube"
)

// How DNS claims look at the cluster. Every look is a probe exec'd into a
// pod, which a loaded machine can delay by seconds or time out: a look whose
// probe could not run (exec error or timeout, no output) is retried and is
// never taken as the cluster's answer. Bounds are judged by the time a look
// was sent, so a slow exec only makes looks sparse; where no look could run
// in time, the reason says the machine was too slow to judge, which is not
// the cluster misbehaving.
const (
	// execTimeout bounds one probe exec: past it the look is a probe that
	// could not run (a DNS query or HTTP try inside takes at most seconds).
	execTimeout = 20 * time.Second
	// execSlack is how long past a bound looks go on while probes cannot run:
	// room for a few execs at execTimeout each on a machine busy enough to
	// time them out (CI once saw two in a row).
	execSlack = 90 * time.Second
	// maxWait caps a wait whose clock the API keeps restarting.
	maxWait = 5 * time.Minute
)

// clock holds when the change a wait judges happened, as the API showed it;
// a look may restart it when the API shows a newer state.
type clock struct{ start time.Time }

func startClock() *clock  { return &clock{start: time.Now()} }
func (c *clock) restart() { c.start = time.Now() }

// waited says how a wait ended: when (after the clock's start) the look
// that saw the condition was sent, and how many looks it took.
type waited struct {
	took          time.Duration
	looks         int // looks whose probe ran
	probeFailures int // looks whose probe could not run
}

func (w waited) String() string {
	s := fmt.Sprintf("after %s, %d look(s)", w.took.Round(time.Millisecond), w.looks)
	if w.probeFailures > 0 {
		s += fmt.Sprintf(", %d probe run(s) that could not run retried", w.probeFailures)
	}
	return s
}

// inTime is nil when the look that saw the condition was sent within
// bound. Otherwise the condition held by then, but the looks between the
// bound and it could not run, so whether it held within the bound is not
// known: an errTooSlow, for claims that state the bound itself.
func (w waited) inTime(what string, bound time.Duration) error {
	if w.took <= bound {
		return nil
	}
	return fmt.Errorf("%s: %w: the first look that ran after %s was sent %s after the change, so whether it held within the bound is unknown (%s)", what, errTooSlow, bound, w.took.Round(time.Millisecond), w)
}

// errTooSlow marks a wait that could not judge: its probes did not run in
// time. Its message says so; it is never the cluster's answer.
var errTooSlow = errors.New("the machine was too slow to judge (probes could not run), not the cluster's answer")

// converge polls look until it reports done; see convergeFrom.
func converge(ctx context.Context, what string, bound time.Duration, look func(context.Context) (kube.Observation, error)) (waited, error) {
	return convergeFrom(ctx, what, bound, startClock(), look)
}

// convergeFrom polls look (each run limited to execTimeout) until it
// reports done. A look that ran and is not done, sent more than bound after
// c.start, fails the wait with what it saw: the cluster was too late. A
// look returning an error is a probe that could not run: it is retried,
// and if none ran from bound on for execSlack the wait fails with
// errTooSlow. A bound of 0 retries probe failures only.
func convergeFrom(ctx context.Context, what string, bound time.Duration, c *clock, look func(context.Context) (kube.Observation, error)) (waited, error) {
	var w waited
	first := time.Now()
	lastSeen, lastSentAt := "", time.Duration(0)
	var lastErr error
	for {
		sent := time.Now()
		lctx, cancel := context.WithTimeout(ctx, execTimeout)
		obs, err := look(lctx)
		cancel()
		late := max(sent.Sub(c.start), 0)
		switch {
		case err == nil && obs.Done:
			w.looks++
			w.took = late
			return w, nil
		case err == nil:
			w.looks++
			lastSeen, lastSentAt = obs.Seen, late
			if late > bound || bound == 0 {
				return w, fmt.Errorf("%s: a look sent %s after the change (bound %s) still saw %s", what, late.Round(time.Millisecond), bound, obs.Seen)
			}
		case ctx.Err() != nil:
			return w, fmt.Errorf("%s: %w (last look: %s)", what, ctx.Err(), err)
		default:
			w.probeFailures++
			lastErr = err
		}
		if time.Since(c.start) > bound+execSlack || time.Since(first) > maxWait {
			seen := "no look ran"
			if lastSeen != "" {
				seen = fmt.Sprintf("the last look that ran, sent %s after the change, saw %s", lastSentAt.Round(time.Millisecond), lastSeen)
			}
			return w, fmt.Errorf("%s within %s: %w: %d probe run(s) failed, the last with %v; %s", what, bound, errTooSlow, w.probeFailures, lastErr, seen)
		}
		select {
		case <-ctx.Done():
			return w, fmt.Errorf("%s: %w", what, ctx.Err())
		case <-time.After(kube.PollInterval):
		}
	}
}
