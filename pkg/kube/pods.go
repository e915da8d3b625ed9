package kube

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// PodReady reports the Ready condition of a running pod.
func PodReady(p *corev1.Pod) bool {
	if p.DeletionTimestamp != nil || p.Status.Phase != corev1.PodRunning {
		return false
	}
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// DescribePod is a one-line account of why a pod is or is not ready.
func DescribePod(p *corev1.Pod) string {
	var why []string
	for _, cs := range append(p.Status.InitContainerStatuses, p.Status.ContainerStatuses...) {
		switch {
		case cs.State.Waiting != nil:
			why = append(why, fmt.Sprintf("%s waiting: %s %s", cs.Name, cs.State.Waiting.Reason, cs.State.Waiting.Message))
		case cs.State.Terminated != nil:
			why = append(why, fmt.Sprintf("%s terminated: %s (exit %d)", cs.Name, cs.State.Terminated.Reason, cs.State.Terminated.ExitCode))
		case !cs.Ready:
			why = append(why, cs.Name+" running, not ready")
		}
	}
	for _, c := range p.Status.Conditions {
		if c.Status != corev1.ConditionTrue && c.Reason != "" {
			why = append(why, fmt.Sprintf("%s=%s (%s)", c.Type, c.Status, c.Reason))
		}
	}
	s := fmt.Sprintf("%s %s ip=%s node=%s", p.Name, p.Status.Phase, p.Status.PodIP, p.Spec.NodeName)
	if p.DeletionTimestamp != nil {
		s += " terminating"
	}
	if len(why) > 0 {
		s += " [" + strings.Join(why, "; ") + "]"
	}
	return s
}

// WaitPodsReady waits until exactly want pods match selector and all are
// ready, and returns them sorted by name.
func (c *Client) WaitPodsReady(ctx context.Context, ns, selector string, want int, timeout time.Duration) ([]corev1.Pod, error) {
	var ready []corev1.Pod
	err := WaitFor(ctx, fmt.Sprintf("%d ready pods %q in %s", want, selector, ns), timeout, func(ctx context.Context) (Observation, error) {
		list, err := c.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: selector})
		if err != nil {
			return Observation{}, err
		}
		ready = ready[:0]
		var seen []string
		for i := range list.Items {
			p := &list.Items[i]
			if PodReady(p) {
				ready = append(ready, *p)
			}
			seen = append(seen, DescribePod(p))
		}
		sort.Strings(seen)
		return Observation{
			Done: len(ready) == want && len(list.Items) == want,
			Seen: fmt.Sprintf("%d/%d ready of %d: %s", len(ready), want, len(list.Items), strings.Join(seen, "; ")),
		}, nil
	})
	sort.Slice(ready, func(i, j int) bool { return ready[i].Name < ready[j].Name })
	return ready, err
}

// CreatePodReady creates a pod and waits until it is ready.
func (c *Client) CreatePodReady(ctx context.Context, pod *corev1.Pod, timeout time.Duration) (*corev1.Pod, error) {
	if _, err := c.CoreV1().Pods(pod.Namespace).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		return nil, fmt.Errorf("create pod %s/%s: %w", pod.Namespace, pod.Name, err)
	}
	var got *corev1.Pod
	err := WaitFor(ctx, "pod "+pod.Namespace+"/"+pod.Name+" ready", timeout, func(ctx context.Context) (Observation, error) {
		p, err := c.CoreV1().Pods(pod.Namespace).Get(ctx, pod.Name, metav1.GetOptions{})
		if err != nil {
			return Observation{}, err
		}
		got = p
		return Observation{Done: PodReady(p), Seen: DescribePod(p)}, nil
	})
	return got, err
}

// SchedulableNodes lists the nodes workloads are meant to run on
// (WorkloadNode), by name.
func (c *Client) SchedulableNodes(ctx context.Context) ([]corev1.Node, error) {
	list, err := c.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	var out []corev1.Node
	for _, n := range list.Items {
		if WorkloadNode(n) {
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// WorkloadNode reports whether n is meant for workloads and takes part in
// the run: not OutOfRun (cordoned, down, ...) and without a NoSchedule or
// NoExecute taint of its role (a control plane). Transient condition taints
// (not-ready, pressure) do not remove a node: a claim must not become moot
// because a node blinked.
func WorkloadNode(n corev1.Node) bool {
	if OutOfRun(n, time.Now()) != "" {
		return false
	}
	for _, t := range n.Spec.Taints {
		if !conditionTaint(t) && (t.Effect == corev1.TaintEffectNoSchedule || t.Effect == corev1.TaintEffectNoExecute) {
			return false
		}
	}
	return true
}
