package harness

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"
)

// installKubeProxySwitch makes kube-proxy's DaemonSet run only on nodes not
// labelled kube.KubeProxySwitch=off (see kube.KubeProxySwitchTerm), once,
// when the suite makes a cluster, and waits for that rollout: claims can
// then stop kube-proxy on one node without restarting it on the others.
// A cluster without a kube-proxy DaemonSet (a replacement CNI) is left as
// it is.
func installKubeProxySwitch(ctx context.Context, c *kube.Client) error {
	const ns, name = "kube-system", "kube-proxy"
	var absent bool
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		ds, err := c.AppsV1().DaemonSets(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			absent = true
			return nil
		}
		if kube.HasNodeRequirement(ds.Spec.Template.Spec.Affinity, kube.KubeProxySwitchTerm) {
			return nil
		}
		ds.Spec.Template.Spec.Affinity = kube.WithNodeRequirement(ds.Spec.Template.Spec.Affinity, kube.KubeProxySwitchTerm)
		_, err = c.AppsV1().DaemonSets(ns).Update(ctx, ds, metav1.UpdateOptions{})
		return err
	})
	if err != nil || absent {
		return err
	}
	return kube.WaitFor(ctx, "kube-proxy rolled out with its per-node switch", 5*time.Minute, func(ctx context.Context) (kube.Observation, error) {
		ds, err := c.AppsV1().DaemonSets(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return kube.Observation{}, err
		}
		st := ds.Status
		return kube.Observation{
			Done: st.ObservedGeneration >= ds.Generation && st.UpdatedNumberScheduled == st.DesiredNumberScheduled && st.NumberReady == st.DesiredNumberScheduled && st.NumberAvailable == st.DesiredNumberScheduled,
			Seen: fmt.Sprintf("desired %d, updated %d, ready %d", st.DesiredNumberScheduled, st.UpdatedNumberScheduled, st.NumberReady),
		}, nil
	})
}

// resetKubeProxySwitch switches kube-proxy back on on the reserved node of
// a cluster the suite made where a run that is gone (killed while SVC-24
// held it off) left it off; only SVC-24 sets that label there, and this run
// owns the cluster now. Other nodes are left as they are (make selftest's
// faults switch kube-proxy off there on purpose).
func resetKubeProxySwitch(ctx context.Context, c *kube.Client, log io.Writer) error {
	nodes, err := c.CoreV1().Nodes().List(ctx, metav1.ListOptions{LabelSelector: kube.KubeProxySwitch + "," + kube.ReservedLabel + "=" + kube.ReservedValue})
	if err != nil {
		return err
	}
	for _, n := range nodes.Items {
		fmt.Fprintf(log, "[cluster] node %s: kube-proxy was left switched off by an earlier run; switching it back on\n", n.Name)
		if err := kube.LabelNode(ctx, c, n.Name, kube.KubeProxySwitch, nil); err != nil {
			return fmt.Errorf("switch kube-proxy back on on node %s: %w", n.Name, err)
		}
	}
	return nil
}
