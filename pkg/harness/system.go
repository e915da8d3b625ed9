package harness

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/netconform/netconform/pkg/kindcluster"
	"github.com/netconform/netconform/pkg/kube"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

var metav1GetOptions = metav1.GetOptions{}

// waitSystemReady waits until every node is Ready and every kube-system and
// CNI DaemonSet has a ready pod on each node it should run on.
func waitSystemReady(ctx context.Context, c *kube.Client) error {
	return kube.WaitFor(ctx, "nodes and system daemonsets ready", 3*time.Minute, func(ctx context.Context) (kube.Observation, error) {
		nodes, err := c.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
		if err != nil {
			return kube.Observation{}, err
		}
		var notReady []string
		for _, n := range nodes.Items {
			ready := false
			for _, cond := range n.Status.Conditions {
				ready = ready || (cond.Type == corev1.NodeReady && cond.Status == corev1.ConditionTrue)
			}
			if !ready {
				notReady = append(notReady, "node "+n.Name)
			}
		}
		ds, err := c.AppsV1().DaemonSets("").List(ctx, metav1.ListOptions{})
		if err != nil {
			return kube.Observation{}, err
		}
		for _, d := range ds.Items {
			st := d.Status
			if st.DesiredNumberScheduled == 0 || st.NumberReady < st.DesiredNumberScheduled {
				notReady = append(notReady, fmt.Sprintf("daemonset %s/%s %d/%d", d.Namespace, d.Name, st.NumberReady, st.DesiredNumberScheduled))
			}
		}
		return kube.Observation{Done: len(notReady) == 0, Seen: "not ready: " + strings.Join(notReady, ", ")}, nil
	})
}

// exportDiagnostics writes what a person needs to debug a failed run.
func exportDiagnostics(ctx context.Context, s *Suite, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if s.Kind {
		if err := kindcluster.ExportLogs(s.ClusterName, filepath.Join(dir, "kind-logs")); err != nil {
			fmt.Fprintf(os.Stderr, "[artifacts] kind export logs: %v\n", err)
		}
	}
	events, err := eventLines(ctx, s.Client, "")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "events.txt"), []byte(events), 0o644)
}
