package faults

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// WaitConverged waits, up to bound, until the cluster has settled after a
// revert, judged from the API and the node agents, not from the data
// paths that claims test: nodes Ready, every DaemonSet and kube-system
// Deployment rolled out and ready, CoreDNS's ready pods behind kube-dns,
// the kubernetes Service's endpoints, a command round trip in every node.
func (e *Env) WaitConverged(ctx context.Context, bound time.Duration) error {
	return kube.WaitFor(ctx, "cluster converged", bound, func(ctx context.Context) (kube.Observation, error) {
		pending, err := e.notConverged(ctx)
		return kube.Observation{Done: len(pending) == 0, Seen: "not yet: " + strings.Join(pending, "; ")}, err
	})
}

func (e *Env) notConverged(ctx context.Context) ([]string, error) {
	c := e.Client
	var pending []string
	nodes, err := c.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	for _, n := range nodes.Items {
		if !nodeReady(n) {
			pending = append(pending, "node "+n.Name+" not Ready")
		}
	}
	daemonSets, err := c.AppsV1().DaemonSets("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	for _, d := range daemonSets.Items {
		st := d.Status
		if st.ObservedGeneration < d.Generation || st.UpdatedNumberScheduled != st.DesiredNumberScheduled || st.NumberReady != st.DesiredNumberScheduled {
			pending = append(pending, fmt.Sprintf("daemonset %s/%s ready %d, updated %d of %d", d.Namespace, d.Name, st.NumberReady, st.UpdatedNumberScheduled, st.DesiredNumberScheduled))
		}
	}
	deployments, err := c.AppsV1().Deployments("kube-system").List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	for i := range deployments.Items {
		d := &deployments.Items[i]
		if !kube.RolledOut(d) {
			pending = append(pending, fmt.Sprintf("deployment kube-system/%s available %d of %d", d.Name, d.Status.AvailableReplicas, d.Status.Replicas))
		}
		if d.Name == corednsDeployment && d.Spec.Replicas != nil {
			ips, err := kube.ReadyEndpointIPs(ctx, c, corednsNS, "kube-dns")
			if err != nil {
				return nil, err
			}
			if want := int(*d.Spec.Replicas); len(ips) != want {
				pending = append(pending, fmt.Sprintf("kube-dns has %d ready endpoints, CoreDNS %d replicas", len(ips), want))
			}
		}
	}
	if ips, err := kube.ReadyEndpointIPs(ctx, c, "default", "kubernetes"); err != nil || len(ips) == 0 {
		pending = append(pending, fmt.Sprintf("the kubernetes Service has no ready endpoint (%v)", err))
	}
	for _, n := range e.Nodes {
		if _, err := e.Shell.Run(ctx, n.Name, nil, "true"); err != nil {
			pending = append(pending, fmt.Sprintf("node %s does not run a command: %v", n.Name, err))
		}
	}
	return pending, nil
}

func nodeReady(n corev1.Node) bool {
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}
