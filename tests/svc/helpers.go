//go:build e2e

package svc

import (
	"context"
	"fmt"
	"time"

	"github.com/netconform/netconform/pkg/kube"
)

// waitAllBackends waits until n distinct backends have answered url: the
// proxy on the client's node has programmed every endpoint, so a measurement
// that follows is not skewed by a rule not yet written.
func waitAllBackends(ctx context.Context, client kube.Prober, url string, n int) error {
	seen := map[string]bool{}
	return kube.WaitFor(ctx, fmt.Sprintf("%d backends answering %s", n, url), time.Minute, func(ctx context.Context) (kube.Observation, error) {
		r, err := client.HTTP(ctx, url, 20, "--timeout", "1s")
		for b := range r.BackendCounts {
			seen[b] = true
		}
		return kube.Observation{Done: len(seen) >= n, Seen: fmt.Sprintf("backends so far %v", seen)}, err
	})
}
