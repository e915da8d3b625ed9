//go:build e2e

package world

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	corev1 "k8s.io/api/core/v1"
)

// Pair is one client and the URL it must reach.
type Pair struct {
	Client kube.Prober
	URL    string
}

// Reached is how a pair fared: WaitHTTP's last result, and its error.
type Reached struct {
	R   probe.HTTPResult
	Err error
}

// WaitEveryPair waits on every pair at once (WaitHTTP, each within
// timeout), and returns their results in the pairs' order. A claim that
// checks every pair of nodes is then bounded by one timeout, not one per
// broken pair (POD-03 waited its bound five times over under a fault that
// cut one worker off).
func WaitEveryPair(ctx context.Context, pairs []Pair, timeout time.Duration) []Reached {
	out := make([]Reached, len(pairs))
	var wg sync.WaitGroup
	for i, p := range pairs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i].R, out[i].Err = WaitHTTP(ctx, p.Client, p.URL, timeout)
		}()
	}
	wg.Wait()
	return out
}

// Across is the pair of claim nodes a claim with a single backend uses:
// the backend on the first, the client on the last (the node a one-worker
// fault changes, as the remote client's). On a one-node cluster they are
// the same node. Pinning both makes the path the claim tests the same in
// every run; the scheduler's pick made such claims change under a one-pair
// fault in one self-test run and not in the next.
func (w *World) Across() (backend, client string) {
	return w.Nodes[0], w.Nodes[len(w.Nodes)-1]
}

// AcrossNodes is World.Across for a claim that does not use the world:
// the same two nodes, from the same list.
func AcrossNodes(ctx context.Context, c *kube.Client) (backend, client string, err error) {
	nodes, err := c.SchedulableNodes(ctx)
	if err != nil || len(nodes) == 0 {
		return "", "", fmt.Errorf("no schedulable nodes: %v", err)
	}
	return nodes[0].Name, nodes[len(nodes)-1].Name, nil
}

// On places spec's pods on node (nodeName: no scheduler pick).
func On(node string, spec corev1.PodSpec) corev1.PodSpec {
	spec.NodeName = node
	return spec
}
