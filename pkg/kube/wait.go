// Package kube holds the suite's Kubernetes helpers: object builders for
// the probe image, waits that report what they last saw, exec, namespaces.
package kube

import (
	"context"
	"fmt"
	"time"
)

// PollInterval is how often waits look again: fast enough that a test does
// not idle, slow enough not to load a 2-core API server (at 250 ms, the
// catalogue's forty-odd waits asked for more than the client's 50 requests
// a second and queued in its rate limiter for over a minute per run).
const PollInterval = 500 * time.Millisecond

// Observation is one look at the cluster: done when the condition holds,
// and a description of what was seen, for the failure message.
type Observation struct {
	Done bool
	Seen string
}

// WaitFor polls check until it reports Done, the timeout passes, or ctx
// ends. On timeout the error is the last observation, not "timed out".
// A check error is treated as an observation (the API may blip), not fatal.
func WaitFor(ctx context.Context, what string, timeout time.Duration, check func(context.Context) (Observation, error)) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	last := "nothing observed yet"
	for {
		obs, err := check(ctx)
		switch {
		case err != nil:
			last = "error: " + err.Error()
		case obs.Done:
			return nil
		default:
			last = obs.Seen
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: not reached within %s; last observed: %s", what, time.Since(start).Round(time.Millisecond), last)
		case <-time.After(PollInterval):
		}
	}
}
