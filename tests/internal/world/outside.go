//go:build e2e

package world

import (
	"context"
	"fmt"
	"os"

	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/vladimirvivien/gexe"
)

// OutsideObserver probes from outside the cluster: a probe container on the
// kind network that is not a node. It returns ok=false with the reason when
// the cluster offers no such vantage point (not a kind cluster the suite made).
func OutsideObserver(ctx context.Context, args ...string) (r probe.HTTPResult, reason string, ok bool) {
	s := harness.Current()
	if !s.Kind {
		return r, "no observer outside the cluster: the suite did not make this cluster, so it has no host on the node network to probe from", false
	}
	network := os.Getenv("KIND_EXPERIMENTAL_DOCKER_NETWORK")
	if network == "" {
		network = "kind"
	}
	cmd := fmt.Sprintf("docker run --rm --network %s %s http", network, s.ProbeImage)
	for _, a := range args {
		cmd += " " + a
	}
	p := gexe.RunProcWithContext(ctx, cmd)
	if !p.IsSuccess() {
		return r, fmt.Sprintf("outside observer failed to run (%s): %v %s", cmd, p.Err(), p.Result()), false
	}
	r, err := probe.ParseHTTPResult([]byte(p.Result()))
	if err != nil {
		return r, fmt.Sprintf("outside observer output: %v", err), false
	}
	return r, "", true
}

// OutsideObserverName names the vantage point in evidence lines.
type OutsideObserverName struct{}

func (OutsideObserverName) String() string {
	return "outside observer (container on the kind network, not a node)"
}
