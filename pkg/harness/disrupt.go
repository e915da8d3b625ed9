package harness

import (
	"context"
	"fmt"
	"time"

	"github.com/netconform/netconform/pkg/kube"
)

// Disruptive claims (a node restarted, kube-proxy stopped on a node) work
// on the node the suite reserves for them (kube.ReservedLabel): no other
// claim's pods or pairs use it, so they run beside the other claims. They
// would still see each other (a node restarted under a claim that has just
// stopped kube-proxy on it), so each holds the disruption slot while it
// disrupts.
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
		return func() {}, fmt.Errorf("another disruptive claim held the reserved node for more than %s", timeout)
	}
}

// DisruptionBound is how long a disruptive claim waits for the slot.
const DisruptionBound = 10 * time.Minute

// NoReservedNode is why a disruptive claim is not applicable on a cluster
// the suite made without a node for it.
const NoReservedNode = "the cluster has no node reserved for disruptive claims (label " + kube.ReservedLabel + "=" + kube.ReservedValue + "), so disrupting a node would disrupt the other claims"

// BeginDisruption is how a disruptive claim starts: it finds the reserved
// node and takes the disruption slot. node is "" when the cluster has no
// reserved node (nothing is held then); release gives the slot back.
func BeginDisruption(ctx context.Context, c *kube.Client) (node string, release func(), err error) {
	node, err = c.ReservedNode(ctx)
	if err != nil || node == "" {
		return "", func() {}, err
	}
	release, err = HoldDisruption(ctx, DisruptionBound)
	return node, release, err
}
