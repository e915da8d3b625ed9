//go:build e2e

package svc

import (
	"context"
	"fmt"
	"testing"

	"github.com/netconform/netconform/pkg/detect"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"
)

// pinnedProxy is the kube-proxy DaemonSet pinned off one node, so that no
// kube-proxy runs there; restore puts its scheduling back as it was.
type pinnedProxy struct {
	t    *testing.T
	chk  *verdict.Check
	c    *kube.Client
	k    *detect.KubeProxyDaemonSet
	node string
	orig *corev1.Affinity
	done bool
}

// pinOff stops kube-proxy on node the way its DaemonSet allows: a node
// affinity that excludes the node, so the DaemonSet controller deletes its
// pod there. It waits, through the API, until that pod is gone, and puts
// the DaemonSet back when t ends if restore was not called.
func pinOff(ctx context.Context, t *testing.T, chk *verdict.Check, c *kube.Client, k *detect.KubeProxyDaemonSet, node string) *pinnedProxy {
	t.Helper()
	n, err := c.CoreV1().Nodes().Get(ctx, node, metav1.GetOptions{})
	if err != nil {
		verdict.Fatal(t, err)
	}
	host := n.Labels[corev1.LabelHostname]
	if host == "" {
		verdict.Fatalf(t, "node %s has no %s label to pin kube-proxy off it", node, corev1.LabelHostname)
	}
	p := &pinnedProxy{t: t, chk: chk, c: c, k: k, node: node}
	err = retry.RetryOnConflict(retry.DefaultRetry, func() error {
		ds, err := c.AppsV1().DaemonSets(k.Namespace).Get(ctx, k.Name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		p.orig = ds.Spec.Template.Spec.Affinity.DeepCopy()
		ds.Spec.Template.Spec.Affinity = withoutNode(p.orig, host)
		_, err = c.AppsV1().DaemonSets(k.Namespace).Update(ctx, ds, metav1.UpdateOptions{})
		return err
	})
	if err != nil {
		verdict.Fatalf(t, "pin kube-proxy DaemonSet %s off node %s: %v", k, node, err)
	}
	t.Cleanup(func() {
		if !p.done {
			ctx, cancel := context.WithTimeout(context.Background(), proxyWait)
			defer cancel()
			p.restore(ctx)
		}
	})
	chk.Evidence("kube-proxy DaemonSet %s pinned off node %s (node affinity %s NotIn [%s])", k, node, corev1.LabelHostname, host)
	err = kube.WaitFor(ctx, fmt.Sprintf("kube-proxy pod gone from node %s", node), proxyWait, func(ctx context.Context) (kube.Observation, error) {
		pods, err := kubeProxyPods(ctx, c, k)
		if err != nil {
			return kube.Observation{}, err
		}
		if pod := pods[node]; pod != nil {
			return kube.Observation{Seen: kube.DescribePod(pod)}, nil
		}
		return kube.Observation{Done: true}, nil
	})
	if err != nil {
		verdict.Fatal(t, err)
	}
	chk.Evidence("no kube-proxy pod on node %s (API)", node)
	return p
}

// restore puts the DaemonSet's affinity back and waits until kube-proxy
// is ready on every node again, the pinned one included; it fails the
// claim (the cluster would be left without kube-proxy on a node) if not.
func (p *pinnedProxy) restore(ctx context.Context) bool {
	p.done = true
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		ds, err := p.c.AppsV1().DaemonSets(p.k.Namespace).Get(ctx, p.k.Name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		ds.Spec.Template.Spec.Affinity = p.orig
		_, err = p.c.AppsV1().DaemonSets(p.k.Namespace).Update(ctx, ds, metav1.UpdateOptions{})
		return err
	})
	if err != nil {
		verdict.Errorf(p.t, "restore kube-proxy DaemonSet %s: %v", p.k, err)
		return false
	}
	err = kube.WaitFor(ctx, fmt.Sprintf("kube-proxy ready again on every node, %s included", p.node), proxyWait, func(ctx context.Context) (kube.Observation, error) {
		ds, err := p.c.AppsV1().DaemonSets(p.k.Namespace).Get(ctx, p.k.Name, metav1.GetOptions{})
		if err != nil {
			return kube.Observation{}, err
		}
		pods, err := kubeProxyPods(ctx, p.c, p.k)
		if err != nil {
			return kube.Observation{}, err
		}
		st := ds.Status
		here := pods[p.node]
		back := here != nil && kube.PodReady(here) && here.DeletionTimestamp == nil
		return kube.Observation{
			Done: back && st.ObservedGeneration >= ds.Generation && st.UpdatedNumberScheduled == st.DesiredNumberScheduled && st.NumberReady == st.DesiredNumberScheduled,
			Seen: fmt.Sprintf("desired %d, updated %d, ready %d; ready pod on %s: %t", st.DesiredNumberScheduled, st.UpdatedNumberScheduled, st.NumberReady, p.node, back),
		}, nil
	})
	if err != nil {
		verdict.Errorf(p.t, "kube-proxy DaemonSet %s restored but not ready again: %v", p.k, err)
		return false
	}
	p.chk.Evidence("kube-proxy DaemonSet %s restored: ready again on every node, %s included", p.k, p.node)
	return true
}

// withoutNode is affinity a with the node whose hostname label is host
// excluded from every required node selector term (terms are ORed, so
// each must exclude it).
func withoutNode(a *corev1.Affinity, host string) *corev1.Affinity {
	out := a.DeepCopy()
	if out == nil {
		out = &corev1.Affinity{}
	}
	if out.NodeAffinity == nil {
		out.NodeAffinity = &corev1.NodeAffinity{}
	}
	expr := corev1.NodeSelectorRequirement{Key: corev1.LabelHostname, Operator: corev1.NodeSelectorOpNotIn, Values: []string{host}}
	req := out.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution
	if req == nil || len(req.NodeSelectorTerms) == 0 {
		out.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution = &corev1.NodeSelector{
			NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{expr}}},
		}
		return out
	}
	for i := range req.NodeSelectorTerms {
		req.NodeSelectorTerms[i].MatchExpressions = append(req.NodeSelectorTerms[i].MatchExpressions, expr)
	}
	return out
}
