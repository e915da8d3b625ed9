//go:build e2e

package svc

import (
	"context"
	"fmt"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/tests/internal/world"
)

// waitEndpoints waits until a Service has exactly n ready endpoints.
func waitEndpoints(ctx context.Context, c *kube.Client, ns, svc string, n int) error {
	return kube.WaitFor(ctx, fmt.Sprintf("%d ready endpoints of %s/%s", n, ns, svc), time.Minute, func(ctx context.Context) (kube.Observation, error) {
		ips, err := world.ReadyEndpointIPs(ctx, c, ns, svc)
		return kube.Observation{Done: err == nil && len(ips) == n, Seen: fmt.Sprintf("ready endpoints %v", ips)}, err
	})
}

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
