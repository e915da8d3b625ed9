package harness

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// Disruptive claims (a worker restarted, kube-proxy stopped on a node) run
// after every other claim of the run, so no claim that shares those nodes
// sees the disruption. Each area's top-level test joins before the areas
// run in parallel (JoinArea), says when its other claims are done
// (OtherClaimsDone), and a disruptive claim waits for all areas to have
// said so (WaitOtherClaims). An area that ends early counts as done.
var order = struct {
	mu         sync.Mutex
	registered int
	done       map[*testing.T]bool
	changed    chan struct{}
}{done: map[*testing.T]bool{}, changed: make(chan struct{})}

// JoinArea counts t's area; call it in the area's top-level test before
// t.Parallel, so every selected area is counted before any disruptive
// claim looks.
func JoinArea(t *testing.T) {
	order.mu.Lock()
	order.registered++
	order.mu.Unlock()
	t.Cleanup(func() { OtherClaimsDone(t) })
}

// OtherClaimsDone records that area test t has finished its non-disruptive claims.
func OtherClaimsDone(t *testing.T) {
	order.mu.Lock()
	defer order.mu.Unlock()
	if order.done[t] {
		return
	}
	order.done[t] = true
	close(order.changed)
	order.changed = make(chan struct{})
}

// WaitOtherClaims blocks until every area of the run has finished its
// non-disruptive claims, or timeout.
func WaitOtherClaims(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		order.mu.Lock()
		done, all, changed := len(order.done), order.registered, order.changed
		order.mu.Unlock()
		if done >= all {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("the other claims of the run were not done within %s (%d of %d areas done)", timeout, done, all)
		}
	}
}
