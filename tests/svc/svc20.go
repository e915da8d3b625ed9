//go:build e2e

package svc

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// SVC-20: a kube-proxy runs on each node and does the translation.
// MUST (env): kube-proxy, found by what runs (its image or binary, in a
// DaemonSet of any name and labels; pkg/detect), has a ready pod on every
// node, and on every node translates a Service the claim makes: the rules
// it wrote there name the ClusterIP, or, where they cannot be read, kube-
// proxy's health check answers on the node. Where no DaemonSet runs it,
// what answers kube-proxy's health port on each node decides (k3s embeds
// kube-proxy in its agent). Confirmed when every node shows both.
// Not applicable where a dataplane replaces kube-proxy (Cilium, kube-router,
// Antrea proxyAll, OVN-Kubernetes, Calico eBPF: their objects say so), or
// where no kube-proxy is found at all, by objects or by what answers.
func svc20(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-20", &chk).
		Assess("KubeProxyTranslatesOnEveryNode", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			c := w.C
			proxy, daemonSets, err := serviceProxy(ctx, c)
			if err != nil {
				verdict.Fatal(t, err)
			}
			chk.Evidence("service proxy: %s", proxy.Describe())
			if proxy.Replacement != "" {
				chk.NotApplicable(t, fmt.Sprintf("kube-proxy is replaced: %s", proxy.Describe()))
			}
			nodes, err := c.ClaimNodes(ctx)
			if err != nil {
				verdict.Fatal(t, err)
			}
			var names []string
			for _, n := range nodes {
				if _, ok := w.Clients[n.Name]; ok {
					names = append(names, n.Name)
				} else {
					verdict.Errorf(t, "the world has no client on node %s", n.Name)
				}
			}
			sort.Strings(names)
			if proxy.KubeProxy == nil {
				embeddedKubeProxy(ctx, t, chk, w, names, daemonSets)
				return ctx
			}
			k := proxy.KubeProxy
			svc := world.CreateService(ctx, t, c, kube.Service(w.NS, "svc20", "", map[string]string{"app": "server"}, kube.ServicePort("http", 80, world.ServerPort)))
			pods, err := kubeProxyPods(ctx, c, k)
			if err != nil {
				verdict.Fatal(t, err)
			}
			good := 0
			for _, node := range names {
				p := pods[node]
				if p == nil || !kube.PodReady(p) {
					desc := "none"
					if p != nil {
						desc = kube.DescribePod(p)
					}
					verdict.Errorf(t, "node %s has no ready pod of kube-proxy DaemonSet %s: %s", node, k, desc)
					continue
				}
				how, err := translatesOn(ctx, c, w, k, p, svc.Spec.ClusterIP)
				if err != nil {
					verdict.Errorf(t, "kube-proxy %s on node %s: %v", p.Name, node, err)
					continue
				}
				chk.Evidence("node %s: kube-proxy pod %s ready; %s", node, p.Name, how)
				good++
			}
			if good == len(names) && len(names) == len(nodes) {
				chk.Confirm("kube-proxy (DaemonSet %s, mode %s) has a ready pod on each of the %d nodes and translates clusterIP %s on each", k, k.Mode, good, svc.Spec.ClusterIP)
			}
			return ctx
		}).Feature()
}

// embeddedKubeProxy judges a cluster where no DaemonSet runs kube-proxy and
// no replacement is configured, by what answers kube-proxy's health port
// on each node.
func embeddedKubeProxy(ctx context.Context, t *testing.T, chk *verdict.Check, w *world.World, nodes, daemonSets []string) {
	t.Helper()
	var answered, silent []string
	for _, node := range nodes {
		how, err := healthAnswers(ctx, w.C, w.Client(node), node)
		if err != nil {
			chk.Evidence("node %s: %v", node, err)
			silent = append(silent, node)
			continue
		}
		chk.Evidence("node %s: %s", node, how)
		answered = append(answered, node)
	}
	switch {
	case len(answered) == 0:
		chk.NotApplicable(t, fmt.Sprintf("no kube-proxy: no DaemonSet runs it, no known replacement is configured, and nothing answers its health port %d on any node; the Services are served by another dataplane (DaemonSets: %s)",
			kubeProxyHealthPort, strings.Join(daemonSets, ", ")))
	case len(silent) > 0:
		verdict.Errorf(t, "a service proxy answers its health port on nodes %v but not on %v", answered, silent)
	default:
		chk.Confirm("a kube-proxy outside any DaemonSet (as k3s embeds it) answers its health check on each of the %d nodes: %s", len(answered), strings.Join(answered, ", "))
	}
}
