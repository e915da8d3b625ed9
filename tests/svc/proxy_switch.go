//go:build e2e

package svc

import (
	"context"
	"fmt"
	"testing"

	"github.com/netconform/netconform/pkg/detect"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// stoppedProxy is kube-proxy switched off on one node; restore switches it
// back on.
type stoppedProxy struct {
	t    *testing.T
	chk  *verdict.Check
	c    *kube.Client
	k    *detect.KubeProxyDaemonSet
	node string
	done bool
}

// switchOff stops kube-proxy on node by the switch the suite gives its
// clusters' kube-proxy DaemonSet (kube.KubeProxySwitch): the node is
// labelled off and the DaemonSet controller deletes that one pod, leaving
// kube-proxy on the other nodes as it was. It waits, through the API,
// until the pod is gone, and switches kube-proxy back on when t ends if
// restore was not called.
func switchOff(ctx context.Context, t *testing.T, chk *verdict.Check, c *kube.Client, k *detect.KubeProxyDaemonSet, node string) *stoppedProxy {
	t.Helper()
	ds, err := c.AppsV1().DaemonSets(k.Namespace).Get(ctx, k.Name, metav1.GetOptions{})
	if err != nil {
		verdict.Fatal(t, err)
	}
	if !kube.HasNodeRequirement(ds.Spec.Template.Spec.Affinity, kube.KubeProxySwitchTerm) {
		verdict.Fatalf(t, "kube-proxy DaemonSet %s has no per-node switch (node affinity %s NotIn [%s]), which the suite installs in the clusters it makes", k, kube.KubeProxySwitch, kube.KubeProxyOff)
	}
	p := &stoppedProxy{t: t, chk: chk, c: c, k: k, node: node}
	if err := kube.LabelNode(ctx, c, node, kube.KubeProxySwitch, ptr.To(kube.KubeProxyOff)); err != nil {
		verdict.Fatalf(t, "switch kube-proxy off on node %s: %v", node, err)
	}
	t.Cleanup(func() {
		if !p.done {
			ctx, cancel := context.WithTimeout(context.Background(), proxyWait)
			defer cancel()
			p.restore(ctx)
		}
	})
	chk.Evidence("node %s labelled %s=%s: kube-proxy's DaemonSet no longer runs there", node, kube.KubeProxySwitch, kube.KubeProxyOff)
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

// restore removes the label and waits until kube-proxy is ready on every
// node again, this one included; it fails the claim (the cluster would be
// left without kube-proxy on a node) if not.
func (p *stoppedProxy) restore(ctx context.Context) bool {
	p.done = true
	if err := kube.LabelNode(ctx, p.c, p.node, kube.KubeProxySwitch, nil); err != nil {
		verdict.Errorf(p.t, "switch kube-proxy back on on node %s: %v", p.node, err)
		return false
	}
	err := kube.WaitFor(ctx, fmt.Sprintf("kube-proxy ready again on every node, %s included", p.node), proxyWait, func(ctx context.Context) (kube.Observation, error) {
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
			Done: back && st.NumberReady == st.DesiredNumberScheduled,
			Seen: fmt.Sprintf("desired %d, ready %d; ready pod on %s: %t", st.DesiredNumberScheduled, st.NumberReady, p.node, back),
		}, nil
	})
	if err != nil {
		verdict.Errorf(p.t, "kube-proxy switched back on on %s but not ready again: %v", p.node, err)
		return false
	}
	p.chk.Evidence("kube-proxy switched back on: ready again on every node, %s included", p.node)
	return true
}
