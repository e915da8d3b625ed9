//go:build e2e

package ext

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kindcluster"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// EXT-05: NodePort with externalTrafficPolicy Local preserves the client
// source IP and answers only on nodes with a local endpoint.
// MUST (env): from an observer outside the cluster, the node running the
// endpoint answers and reports the observer's own address (not a node's);
// a node without an endpoint does not answer.
func ext05() features.Feature {
	var chk *verdict.Check
	return verdict.Claim("EXT-05", &chk).
		Assess("LocalPolicyKeepsSourceAndSkipsNodesWithoutEndpoints", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-ext05")
			nodes, err := c.SchedulableNodes(ctx)
			if err != nil {
				verdict.Fatal(t, err)
			}
			if len(nodes) < 2 {
				chk.NotApplicable(t, fmt.Sprintf("%d schedulable node(s): no node without a local endpoint to compare", len(nodes)))
			}
			labels := map[string]string{"app": "local"}
			pod := kube.Pod(ns, "local", labels, nodes[0].Name, world.Server([]int32{world.ServerPort}))
			if _, err := c.CreatePodReady(ctx, pod, 2*time.Minute); err != nil {
				verdict.Fatal(t, err)
			}
			svc := kube.Service(ns, "local", corev1.ServiceTypeNodePort, labels, kube.ServicePort("http", 80, world.ServerPort))
			svc.Spec.ExternalTrafficPolicy = corev1.ServiceExternalTrafficPolicyLocal
			created := world.CreateService(ctx, t, c, svc)
			port := created.Spec.Ports[0].NodePort
			nodeIPs := map[string]bool{}
			ipOf := func(n corev1.Node) string {
				for _, a := range n.Status.Addresses {
					if a.Type == corev1.NodeInternalIP {
						return a.Address
					}
				}
				return ""
			}
			for _, n := range nodes {
				nodeIPs[ipOf(n)] = true
			}
			outside := world.Observer(t, chk)
			with := fmt.Sprintf("http://%s:%d/clientip", ipOf(nodes[0]), port)
			res := outside.Reach(ctx, t, chk, with, "node "+nodes[0].Name+", has the endpoint")
			src, _, _ := net.SplitHostPort(strings.TrimSpace(res.Body))
			chk.Evidence("the server behind %s saw source %s", with, src)
			addr, perr := netip.ParseAddr(src)
			preserved := perr == nil && !nodeIPs[src] && !netip.MustParsePrefix(kindcluster.PodSubnet).Contains(addr)
			if !preserved {
				verdict.Errorf(t, "the server saw source %q: a node or pod address, so the client IP was not preserved", src)
			}
			without := fmt.Sprintf("http://%s:%d/clientip", ipOf(nodes[1]), port)
			silent := outside.NeverAnswers(ctx, t, chk, without, "node "+nodes[1].Name+", no local endpoint")
			if preserved && silent.OK == 0 {
				chk.Confirm("node %s (endpoint) answered the outside observer and saw its address %s; node %s (no endpoint) did not answer: %s", nodes[0].Name, src, nodes[1].Name, world.Silence(silent))
			}
			return ctx
		}).Feature()
}
