package harness

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

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
	labels, err := runNamespaces(ctx, c, kube.SuiteLabel+"=true,"+kube.RunLabel)
	if err != nil {
		fmt.Fprintf(log, "[cluster] looking for namespaces of earlier runs: %v\n", err)
		return
	}
	dead := deadRunNamespaces(labels, kube.ThisHost(), func(r kube.Run) bool {
		return kindcluster.Process{PID: r.PID, Start: r.Start}.Alive()
	})
	_, failed := deleteNamespaces(ctx, c, dead)
	for _, f := range failed {
		fmt.Fprintf(log, "[cluster] delete namespace of a run that is gone: %s\n", f)
	}
	if len(dead) > 0 {
		fmt.Fprintf(log, "[cluster] deleting %d namespace(s) left by runs on this host that are gone: %v\n", len(dead), dead)
	}
}

// runNamespaces lists the namespaces that selector picks and are not
// already being deleted, each with its run label.
func runNamespaces(ctx context.Context, c *kube.Client, selector string) (map[string]string, error) {
	list, err := c.CoreV1().Namespaces().List(ctx, metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		return nil, err
	}
	labels := map[string]string{}
	for _, ns := range list.Items {
		if ns.DeletionTimestamp == nil {
			labels[ns.Name] = ns.Labels[kube.RunLabel]
		}
	}
	return labels, nil
}

// deleteNamespaces deletes names; failed holds each that could not be,
// with why.
func deleteNamespaces(ctx context.Context, c *kube.Client, names []string) (deleted, failed []string) {
	for _, ns := range names {
		if err := c.DeleteNamespace(ctx, ns); err != nil {
			failed = append(failed, fmt.Sprintf("%s (%v)", ns, err))
			continue
		}
		deleted = append(deleted, ns)
	}
	return deleted, failed
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

// interruptCleanup bounds the deletes after Ctrl-C or SIGTERM: the user is
// waiting, and a cluster that does not answer in it will not in a minute.
const interruptCleanupTimeout = 15 * time.Second

// removeThisRun starts the deletion of every namespace of this run (its
// run label) after an interrupt, and says which it deleted and which
// remain, with the command that removes them. Every package of the run gets
// the signal and does the same, so a namespace already going is not news.
func removeThisRun(c *kube.Client, log io.Writer) {
	ctx, cancel := context.WithTimeout(context.Background(), interruptCleanupTimeout)
	defer cancel()
	selector := kube.RunLabel + "=" + kube.ThisRun.String()
	remove := fmt.Sprintf("kubectl delete namespace -l %s", selector)
	var deleted, left []string
	tried := map[string]bool{}
	// A package may make a namespace while the first pass deletes: look
	// again until a pass finds nothing new.
	for pass, found := 0, true; found && pass < 3; pass++ {
		labels, err := runNamespaces(ctx, c, selector)
		if err != nil {
			fmt.Fprintf(log, "netconform: could not list this run's namespaces (%v); remove what remains with `%s`\n", err, remove)
			break
		}
		var fresh []string
		for ns := range labels {
			if !tried[ns] {
				fresh, tried[ns] = append(fresh, ns), true
			}
		}
		sort.Strings(fresh)
		found = len(fresh) > 0
		d, f := deleteNamespaces(ctx, c, fresh)
		deleted, left = append(deleted, d...), append(left, f...)
	}
	if len(deleted) > 0 {
		fmt.Fprintf(log, "netconform: deleting this run's namespaces: %s\n", strings.Join(deleted, ", "))
	}
	if len(left) > 0 {
		fmt.Fprintf(log, "netconform: these namespaces of this run remain: %s; remove them with `%s`\n", strings.Join(left, ", "), remove)
	}
}
