package harness

import (
	"context"
	"fmt"
	"io"
	"sort"

	"github.com/netconform/netconform/pkg/kindcluster"
	"github.com/netconform/netconform/pkg/kube"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// setThisRun labels the namespaces this run makes with its run (see
// kube.RunLabel): the go test process, or the binary run directly.
func setThisRun() {
	if p, ok := runOwner(); ok {
		kube.ThisRun = kube.Run{Host: kube.ThisHost(), PID: p.PID, Start: p.Start}
	}
}

// removeDeadRuns deletes the namespaces that earlier runs of the suite on
// this host left behind (interrupted, killed) and that no live run uses:
// each carries the run label of a process that is gone. Namespaces of live
// runs, of other hosts' runs, and without a run label are left alone (make
// clean removes those).
func removeDeadRuns(ctx context.Context, c *kube.Client, log io.Writer) {
	list, err := c.CoreV1().Namespaces().List(ctx, metav1.ListOptions{LabelSelector: kube.SuiteLabel + "=true," + kube.RunLabel})
	if err != nil {
		fmt.Fprintf(log, "[cluster] looking for namespaces of earlier runs: %v\n", err)
		return
	}
	labels := map[string]string{}
	for _, ns := range list.Items {
		if ns.DeletionTimestamp == nil {
			labels[ns.Name] = ns.Labels[kube.RunLabel]
		}
	}
	dead := deadRunNamespaces(labels, kube.ThisHost(), func(r kube.Run) bool {
		return kindcluster.Process{PID: r.PID, Start: r.Start}.Alive()
	})
	for _, ns := range dead {
		if err := c.DeleteNamespace(ctx, ns); err != nil {
			fmt.Fprintf(log, "[cluster] delete namespace %s of a run that is gone: %v\n", ns, err)
		}
	}
	if len(dead) > 0 {
		fmt.Fprintf(log, "[cluster] deleting %d namespace(s) left by runs on this host that are gone: %v\n", len(dead), dead)
	}
}

// deadRunNamespaces picks, from namespace -> run label, the namespaces of
// runs on host whose process is not alive.
func deadRunNamespaces(labels map[string]string, host string, alive func(kube.Run) bool) []string {
	var out []string
	for ns, label := range labels {
		r, ok := kube.ParseRun(label)
		if ok && r.Host == host && !alive(r) {
			out = append(out, ns)
		}
	}
	sort.Strings(out)
	return out
}
