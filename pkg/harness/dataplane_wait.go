package harness

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// waitCNIReady waits until every node is Ready (a node is NotReady until
// its CNI is) and every DaemonSet and Deployment a CNI may bring is ready;
// CoreDNS is left out: it is made hermetic later and waited for then. It
// prints the state whenever it changes, so a slow CNI is visible.
func waitCNIReady(ctx context.Context, c *kube.Client, timeout time.Duration) error {
	start := time.Now()
	last := ""
	return kube.WaitFor(ctx, "nodes and CNI pods ready", timeout, func(ctx context.Context) (kube.Observation, error) {
		pending, err := cniPending(ctx, c)
		if err != nil {
			return kube.Observation{}, err
		}
		seen := "waiting for: " + strings.Join(pending, ", ")
		if len(pending) > 0 && seen != last {
			fmt.Fprintf(os.Stderr, "[cni +%s] %s\n", time.Since(start).Round(time.Second), seen)
			last = seen
		}
		return kube.Observation{Done: len(pending) == 0, Seen: seen}, nil
	})
}

func cniPending(ctx context.Context, c *kube.Client) ([]string, error) {
	nodes, err := c.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	var pending []string
	for _, n := range nodes.Items {
		if !kube.NodeReady(&n) {
			pending = append(pending, "node "+n.Name)
		}
	}
	if len(nodes.Items) == 0 {
		pending = append(pending, "nodes (none registered)")
	}
	ds, err := c.AppsV1().DaemonSets("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	for _, d := range ds.Items {
		st := d.Status
		if st.DesiredNumberScheduled == 0 || st.NumberReady < st.DesiredNumberScheduled {
			pending = append(pending, fmt.Sprintf("daemonset %s/%s %d/%d", d.Namespace, d.Name, st.NumberReady, st.DesiredNumberScheduled))
		}
	}
	deps, err := c.AppsV1().Deployments("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	for _, d := range deps.Items {
		if d.Labels["k8s-app"] == "kube-dns" {
			continue
		}
		want := int32(1)
		if d.Spec.Replicas != nil {
			want = *d.Spec.Replicas
		}
		if d.Status.AvailableReplicas < want {
			pending = append(pending, fmt.Sprintf("deployment %s/%s %d/%d", d.Namespace, d.Name, d.Status.AvailableReplicas, want))
		}
	}
	sort.Strings(pending)
	return pending, nil
}
