package harness

import (
	"context"
	"fmt"
	"time"
)

// Disruptive claims wait for every other claim (WaitOtherClaims), and then
// still overlap one another: a worker restarted under a claim that has
// just stopped kube-proxy on another node changes what that claim sees,
// and the reverse. Each holds the disruption slot while it disrupts.
var disruption = make(chan struct{}, 1)

// HoldDisruption waits, up to timeout, until no other disruptive claim of
// the run is at work, and takes the slot; release gives it back.
func HoldDisruption(ctx context.Context, timeout time.Duration) (release func(), err error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	select {
	case disruption <- struct{}{}:
		return func() { <-disruption }, nil
	case <-ctx.Done():
		return func() {}, fmt.Errorf("another disruptive claim held the cluster for more than %s", timeout)
	}
}

// DisruptionBound is how long a disruptive claim waits for the run's other
// claims, and then for the disruption slot.
const DisruptionBound = 10 * time.Minute

// BeginDisruption is how a disruptive claim starts: it waits until every
// other claim of the run is done, then takes the disruption slot.
// release gives the slot back (a no-op when it was not taken).
func BeginDisruption(ctx context.Context) (release func(), err error) {
	if err := WaitOtherClaims(ctx, DisruptionBound); err != nil {
		return func() {}, fmt.Errorf("the run's other claims may still use the cluster: %w", err)
	}
	return HoldDisruption(ctx, DisruptionBound)
}
