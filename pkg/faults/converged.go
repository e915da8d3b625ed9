package faults

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// WaitConverged waits, up to bound, until the cluster has settled after a
// revert, as the suite judges it before its claims (kube.Unconverged), and
// with a command round trip in every node.
func (e *Env) WaitConverged(ctx context.Context, bound time.Duration) error {
	return kube.WaitFor(ctx, "cluster converged", bound, func(ctx context.Context) (kube.Observation, error) {
		pending, err := e.notConverged(ctx)
		return kube.Observation{Done: len(pending) == 0, Seen: "not yet: " + strings.Join(pending, "; ")}, err
	})
}

// notConverged is kube.Unconverged, with every node Ready (a node a fault
// took down for over a minute is out of the run to kube.Unconverged, but a
// revert must bring it back) and running a command (the faults' own way in).
func (e *Env) notConverged(ctx context.Context) ([]string, error) {
	pending, err := kube.Unconverged(ctx, e.Client)
	if err != nil {
		return nil, err
	}
	for _, n := range e.Nodes {
		if node, err := e.Client.CoreV1().Nodes().Get(ctx, n.Name, metav1.GetOptions{}); err != nil || !kube.NodeReady(node) {
			pending = append(pending, "node "+n.Name+" not Ready")
		}
		if _, err := e.Shell.Run(ctx, n.Name, nil, "true"); err != nil {
			pending = append(pending, fmt.Sprintf("node %s does not run a command: %v", n.Name, err))
		}
	}
	return pending, nil
}
