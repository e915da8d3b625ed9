//go:build e2e

package svc

import (
	"context"
	"fmt"
	"testing"

	"github.com/netconform/netconform/pkg/detect"
	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// SVC-24: document 003 says that when a pod makes a request to a ClusterIP
// service, "the kube-proxy intercepts it".
// MUST (env, destructive): in iptables, nftables and ipvs modes kube-proxy
// only programs the kernel, so with kube-proxy stopped on a node (switched
// off there by a node label the suite's kube-proxy DaemonSet honours, its
// pod gone, its health port silent) a client on that node still reaches a
// Service that existed before: 20 of 20 requests answer (document refuted). Failed if they do not: the rules
// kube-proxy wrote stay in the kernel on a conformant cluster, so a
// "confirmed" branch (the Service dies with kube-proxy) is one only a
// broken cluster reaches. kube-proxy is put back and must be ready again.
// Runs only on a cluster the suite made, on a node it reserves for
// disruptive claims (no other claim uses it, so they run meanwhile),
// held so that no other disruptive claim uses it at the same time.
// Not applicable elsewhere, where kube-proxy is replaced or absent
// (pkg/detect), or in a mode that is in the data path.
func svc24(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-24", &chk).
		Assess("ClientStillReachesAServiceWithKubeProxyStoppedOnItsNode", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			if !harness.Current().Kind {
				chk.NotApplicable(t, "destructive: the suite stops kube-proxy only on a cluster it made, and it did not make this one")
			}
			w.Wait(t)
			c := w.C
			proxy, _, err := serviceProxy(ctx, c)
			if err != nil {
				verdict.Fatal(t, err)
			}
			chk.Evidence("service proxy: %s", proxy.Describe())
			k := proxy.KubeProxy
			switch {
			case proxy.Replacement != "":
				chk.NotApplicable(t, fmt.Sprintf("kube-proxy is replaced (%s): stopping kube-proxy would not take the service proxy off a node", proxy.Replacement))
			case k == nil:
				chk.NotApplicable(t, "no DaemonSet runs kube-proxy: there is no kube-proxy to stop")
			case !detect.KernelModes[k.Mode]:
				chk.NotApplicable(t, fmt.Sprintf("kube-proxy mode %q (%s) is not one in which it only programs the kernel", k.Mode, k.ModeFrom))
			}
			// No other disruptive claim (POD-11 restarts a node) gets this
			// node until it is released, after kube-proxy is back (the
			// cleanup of switchOff runs first), however the step ends.
			node, release, err := harness.BeginDisruption(ctx, c)
			t.Cleanup(release)
			switch {
			case err != nil:
				verdict.Fatalf(t, "kube-proxy not stopped: %v", err)
			case node == "":
				chk.NotApplicable(t, harness.NoReservedNode)
			}
			_, ns := world.OwnNamespace(ctx, t, "nc-svc24")
			client := world.StartClient(ctx, t, c, ns, "client", node)
			svc := world.CreateService(ctx, t, c, kube.Service(w.NS, "svc24", "", map[string]string{"app": "server"}, kube.ServicePort("http", 80, world.ServerPort)))
			url := fmt.Sprintf("http://%s/hostname", svc.Spec.ClusterIP)
			r, err := world.WaitHTTP(ctx, client, url, world.ReachBound)
			if err != nil {
				verdict.Fatalf(t, "with kube-proxy running, %s does not reach the Service either: %v", client, err)
			}
			world.Evidence(chk, client, url+" (kube-proxy running on "+node+")", world.HTTPSummary(r))
			health, err := healthURL(ctx, c, node)
			if err != nil {
				verdict.Fatal(t, err)
			}
			_, healthErr := healthAnswers(ctx, c, client, node)
			chk.Evidence("kube-proxy health %s before the stop: answers %t", health, healthErr == nil)

			stopped := switchOff(ctx, t, chk, c, k, node)
			how := "no pod"
			if healthErr == nil {
				s, silent := neverAnswers(ctx, t, chk, client, health, "kube-proxy's health port with kube-proxy stopped")
				if !silent {
					return ctx // kube-proxy still runs on the node: nothing to judge
				}
				how = "no pod, health port silent: " + s.String()
			}
			r, err = client.HTTP(ctx, url, 20, "--timeout", "2s")
			if err != nil {
				verdict.Fatalf(t, "probe failure, not the cluster's answer: %v", err)
			}
			world.Evidence(chk, client, url+" (kube-proxy stopped on "+node+")", world.HTTPSummary(r))
			reached := r.OK == r.Tries
			if !reached {
				verdict.Errorf(t, "with kube-proxy stopped on %s, a client there no longer reaches an existing Service (%s): its kernel rules should have stayed", node, world.HTTPSummary(r))
			}
			if !stopped.restore(ctx) {
				return ctx
			}
			if reached {
				chk.Refute("with kube-proxy stopped on node %s (mode %s; %s), a client there reached clusterIP %s %d/%d times %s: the kernel rules kube-proxy wrote translate, kube-proxy does not intercept",
					node, k.Mode, how, svc.Spec.ClusterIP, r.OK, r.Tries, world.Counts(r.BackendCounts))
			}
			return ctx
		}).Feature()
}
