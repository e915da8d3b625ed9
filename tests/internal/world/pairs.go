//go:build e2e

package world

import (
	"context"
	"sync"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
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
