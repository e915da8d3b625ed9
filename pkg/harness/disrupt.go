package harness

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/netconform/netconform/pkg/kube"
)

// Disruptive claims (a node restarted, kube-proxy stopped on a node) work
// on the nodes the suite reserves for them (kube.ReservedLabel): no other
// claim's pods or pairs use those, so they run beside the other claims.
// Clusters the suite makes have one reserved node per disruptive claim, so
// they also run beside each other; each holds its node while it disrupts,
// and with fewer nodes than claims (an older kept cluster) they take turns.
const reservedNodes = 2

// DisruptionBound is how long a disruptive claim waits for a reserved node.
const DisruptionBound = 10 * time.Minute

// NoReservedNode is why a disruptive claim is not applicable on a cluster
// the suite made without a node for it.
const NoReservedNode = "the cluster has no node reserved for disruptive claims (label " + kube.ReservedLabel + "=" + kube.ReservedValue + "), so disrupting a node would disrupt the other claims"

// reserved is the run's pool of reserved nodes not held by a claim, filled
// from the API on first use.
var reserved struct {
	mu   sync.Mutex
	free chan string
}

func reservedPool(ctx context.Context, c *kube.Client) (chan string, error) {
	reserved.mu.Lock()
	defer reserved.mu.Unlock()
	if reserved.free != nil {
		return reserved.free, nil
	}
	names, err := c.ReservedNodes(ctx)
	if err != nil || len(names) == 0 {
		return nil, err
	}
	reserved.free = make(chan string, len(names))
	for _, n := range names {
		reserved.free <- n
	}
	return reserved.free, nil
}

// BeginDisruption is how a disruptive claim starts: it takes a reserved
// node no other disruptive claim holds, waiting up to DisruptionBound. node
// is "" when the cluster has no reserved node (nothing is held then);
// release gives the node back.
func BeginDisruption(ctx context.Context, c *kube.Client) (node string, release func(), err error) {
	free, err := reservedPool(ctx, c)
	if err != nil || free == nil {
		return "", func() {}, err
	}
	ctx, cancel := context.WithTimeout(ctx, DisruptionBound)
	defer cancel()
	select {
	case node := <-free:
		return node, func() { free <- node }, nil
	case <-ctx.Done():
		return "", func() {}, fmt.Errorf("other disruptive claims held every reserved node for more than %s", DisruptionBound)
	}
}
