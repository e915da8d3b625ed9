//go:build e2e

package dns

import (
	"context"
	"fmt"
	"time"

	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kube"
	corev1 "k8s.io/api/core/v1"
)

// steadyServer is the probe server spec of the DNS claims' own pods, with
// a readiness probe that a busy machine cannot flap: it turns ready on the
// first answer but leaves only after 3 failures of up to 3 s each, so that
// the endpoint changes a claim sees are the ones it made (a deleted pod
// leaves its Service's endpoints at once, whatever its probe says).
func steadyServer(ports []int32, args ...string) corev1.PodSpec {
	c := kube.ProbeContainer("server", harness.Current().ProbeImage, ports, args...)
	if c.ReadinessProbe != nil {
		c.ReadinessProbe.TimeoutSeconds, c.ReadinessProbe.FailureThreshold = 3, 3
	}
	return kube.PodSpec(c)
}

// waitSomeEndpoints waits (API) until a Service has at least one ready
// endpoint, for claims whose data path then gets its own bound.
func waitSomeEndpoints(ctx context.Context, c *kube.Client, ns, svc string) error {
	return kube.WaitFor(ctx, fmt.Sprintf("a ready endpoint of %s/%s", ns, svc), time.Minute, func(ctx context.Context) (kube.Observation, error) {
		ips, err := kube.ReadyEndpointIPs(ctx, c, ns, svc)
		return kube.Observation{Done: err == nil && len(ips) > 0, Seen: fmt.Sprintf("ready endpoints %v", ips)}, err
	})
}
