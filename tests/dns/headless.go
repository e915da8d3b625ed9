//go:build e2e

package dns

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
)

// followsEndpoints resolves name (a headless Service's) from p until its A
// records are exactly the ready addresses that svc's EndpointSlices list,
// read just before each query, and returns them. The bound runs from the
// moment the API last showed a new set: a look sent later than bound after
// it that still differs fails with both sets (the records did not follow);
// looks before that are records converging, not a verdict. A failure is
// asserted and reported false. With inTime the claim states the bound
// itself, and records seen only after it (the looks before could not run)
// are too slow to judge (waited.inTime).
func followsEndpoints(ctx context.Context, t *testing.T, chk *verdict.Check, c *kube.Client, p kube.Prober, ns, svc, name string, bound time.Duration, inTime bool) ([]string, bool) {
	t.Helper()
	clk := startClock()
	var eps []string
	var r probe.DNSResult
	changes := 0
	w, err := convergeFrom(ctx, fmt.Sprintf("A %s following the ready endpoints of %s/%s", name, ns, svc), bound, clk, func(ctx context.Context) (kube.Observation, error) {
		now, err := kube.ReadyEndpointIPs(ctx, c, ns, svc)
		if err != nil {
			return kube.Observation{}, fmt.Errorf("read EndpointSlices of %s/%s: %w", ns, svc, err)
		}
		if !slices.Equal(now, eps) {
			clk.restart()
			eps, changes = now, changes+1
		}
		if r, err = p.DNS(ctx, name, "A"); err != nil {
			return kube.Observation{}, err
		}
		seen := fmt.Sprintf("A records %s while the EndpointSlices list ready %v", dnsSummary(r), eps)
		return kube.Observation{Done: len(eps) > 0 && only(r.Answers, eps...), Seen: seen}, nil
	})
	if err == nil && inTime {
		err = w.inTime(name+" following the endpoints", bound)
	}
	chk.Evidence("%s -> A %s = %s; EndpointSlices of %s/%s: ready %v (%s after the API's last change, %d change(s) seen)", p, name, dnsSummary(r), ns, svc, eps, w, changes)
	if err != nil {
		verdict.Errorf(t, "%v", err)
		return eps, false
	}
	return eps, true
}
