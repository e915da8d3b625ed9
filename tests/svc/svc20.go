//go:build e2e

package svc

import (
	"context"
	"fmt"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// SVC-20: a kube-proxy runs on each node and does the translation.
// MUST (env): the kube-proxy DaemonSet has a ready pod on every node; where
// the CNI replaces kube-proxy the claim is not applicable.
func svc20() features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-20", &chk).
		Assess("KubeProxyReadyOnEveryNode", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c := world.Client()
			nodes, err := c.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
			if err != nil {
				verdict.Fatal(t, err)
			}
			pods, err := c.CoreV1().Pods("kube-system").List(ctx, metav1.ListOptions{LabelSelector: "k8s-app=kube-proxy"})
			if err != nil {
				verdict.Fatal(t, err)
			}
			if len(pods.Items) == 0 {
				ds, _ := c.AppsV1().DaemonSets("").List(ctx, metav1.ListOptions{})
				var names []string
				for _, d := range ds.Items {
					names = append(names, d.Namespace+"/"+d.Name)
				}
				chk.NotApplicable(t, fmt.Sprintf("no kube-proxy pods in kube-system: the service proxy is replaced (DaemonSets: %v)", names))
			}
			ready := map[string]string{}
			for i := range pods.Items {
				p := &pods.Items[i]
				if kube.PodReady(p) {
					ready[p.Spec.NodeName] = p.Name
				}
			}
			for _, n := range nodes.Items {
				chk.Evidence("node %s: ready kube-proxy pod %q", n.Name, ready[n.Name])
				if ready[n.Name] == "" {
					verdict.Errorf(t, "node %s has no ready kube-proxy pod", n.Name)
				}
			}
			return ctx
		}).Feature()
}
