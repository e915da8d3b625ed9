package main

import (
	"context"
	"fmt"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/clientcmd"
)

// deleteSuiteNamespaces deletes the namespaces an interrupted run left in
// the cluster of kubeconfig; it does not wait for them to go.
func deleteSuiteNamespaces(kubeconfig string) error {
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return err
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
	for _, ns := range list.Items {
		fmt.Printf("deleting namespace %s\n", ns.Name)
		if err := c.DeleteNamespace(ctx, ns.Name); err != nil {
			return err
		}
	}
	return nil
}
