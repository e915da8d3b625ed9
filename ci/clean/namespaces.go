package main

import (
	"context"
	"fmt"
	"time"

	"github.com/netconform/netconform/pkg/kindcluster"
	"github.com/netconform/netconform/pkg/kube"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/clientcmd"
)

// deleteSuiteNamespaces lists the suite's namespaces in kubeconfig's
// context (kubeContext, else its current one) and deletes those of runs on
// this host that are gone; all of them only with all set. A live run's,
// another host's run's (a colleague's, perhaps live) and an unlabelled
// one (an older version's) are listed and kept. It does not wait for the
// deletes to finish.
func deleteSuiteNamespaces(kubeconfig, kubeContext string, all bool) error {
	loader := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(
		&clientcmd.ClientConfigLoadingRules{ExplicitPath: kubeconfig}, &clientcmd.ConfigOverrides{CurrentContext: kubeContext})
	cfg, err := loader.ClientConfig()
	if err != nil {
		return err
	}
	raw, _ := loader.RawConfig()
	inContext := kubeContext
	if inContext == "" {
		inContext = raw.CurrentContext
	}
	cfg.Timeout = 10 * time.Second
	c, err := kube.NewClient(cfg)
	if err != nil {
		return err
	}
	ctx := context.Background()
	list, err := c.CoreV1().Namespaces().List(ctx, metav1.ListOptions{LabelSelector: kube.SuiteLabel + "=true"})
	if err != nil {
		return err
	}
	fmt.Printf("namespaces of the suite in context %q of %s: %d\n", inContext, kubeconfig, len(list.Items))
	for _, ns := range list.Items {
		keep, why := keepNamespace(ns, all)
		if keep {
			fmt.Printf("  kept %s: %s\n", ns.Name, why)
			continue
		}
		fmt.Printf("  deleting %s: %s\n", ns.Name, why)
		if err := c.DeleteNamespace(ctx, ns.Name); err != nil {
			return err
		}
	}
	return nil
}

// keepNamespace decides, from its run label, whether clean leaves ns.
func keepNamespace(ns corev1.Namespace, all bool) (bool, string) {
	label := ns.Labels[kube.RunLabel]
	r, ok := kube.ParseRun(label)
	alive := ok && r.Host == kube.ThisHost() && (kindcluster.Process{PID: r.PID, Start: r.Start}).Alive()
	switch {
	case ns.DeletionTimestamp != nil:
		return true, "already being deleted"
	case all:
		return false, "-all-namespaces"
	case !ok:
		return true, "no run label (an older version's run): delete it with -all-namespaces if no run uses it"
	case r.Host != kube.ThisHost():
		return true, fmt.Sprintf("a run on another host (%s), which may be live: delete it with -all-namespaces", r.Host)
	case alive:
		return true, fmt.Sprintf("run pid %d on this host is live", r.PID)
	}
	return false, fmt.Sprintf("run pid %d on this host is gone", r.PID)
}
