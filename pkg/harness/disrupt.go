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
