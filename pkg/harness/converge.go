package harness

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/netconform/netconform/pkg/kube"
)

// convergeBound is how long the suite waits for a cluster to converge
// before its claims: a kept cluster whose nodes were just started takes a
// minute or two on 2 cores; past it the claims run anyway, with what had
// not converged in the report's header.
const convergeBound = 4 * time.Minute

// waitConverged waits, on every path (a cluster created, reused or given),
// until the cluster has converged: every node Ready, every DaemonSet and
// every kube-system Deployment rolled out with its pods ready, the API
// server reaching every node's kubelet (the path of every probe exec), and
// the kubernetes Service's endpoints present. It judges from the API and
// the node agents only, never from a data path a claim tests: CoreDNS
// scaled to 0 is converged, and it is the claims' job to find it broken.
// It returns what had not converged by the bound ("" when all had).
func waitConverged(ctx context.Context, c *kube.Client, log io.Writer) string {
	start := time.Now()
	lastShown := start
	var pending []string
	err := kube.WaitFor(ctx, "the cluster converged", convergeBound, func(ctx context.Context) (kube.Observation, error) {
		var err error
		pending, err = kube.Unconverged(ctx, c)
		if err != nil {
			pending = []string{"the API server: " + firstLine(err.Error())}
		}
		if len(pending) > 0 && time.Since(lastShown) >= 10*time.Second {
			lastShown = time.Now()
			fmt.Fprintf(log, "[cluster] converging (%s of %s): waiting on %s\n", time.Since(start).Round(time.Second), convergeBound, strings.Join(pending, ", "))
		}
		return kube.Observation{Done: len(pending) == 0, Seen: strings.Join(pending, ", ")}, nil
	})
	if err != nil {
		fmt.Fprintf(log, "[cluster] not converged after %s, running the claims anyway: %s\n", convergeBound, strings.Join(pending, ", "))
		return strings.Join(pending, ", ")
	}
	fmt.Fprintf(log, "[cluster] converged in %s: nodes Ready, system pods rolled out and ready, every kubelet answers\n", time.Since(start).Round(100*time.Millisecond))
	return ""
}
