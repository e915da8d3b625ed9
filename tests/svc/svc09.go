//go:build e2e

package svc

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// SVC-09: the proxy rewrites the destination (DNAT) to a backend pod; the
// backend sees the client pod's IP.
// MUST: for a connection made to the ClusterIP, the backend reports the
// client pod IP as source and its own pod IP as the local address, for
// every pair of client and backend nodes: one Service per node over the
// world's server there (world.Selects), asked from the client on every
// node, so the same-node and cross-node paths are both checked in every
// run, not whichever backend the proxy picked (the self-test saw a
// cross-node pick behave otherwise than the same-node picks of the run
// before).
func svc09(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-09", &chk).
		Assess("BackendSeesClientIPAndItsOwnPodIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			type backend struct {
				server world.Member
				svc    *corev1.Service
			}
			var backends []backend
			for i, node := range w.Nodes {
				m := w.ServerOn(node)
				svc := world.CreateService(ctx, t, w.C, kube.Service(w.NS, fmt.Sprintf("svc09-%d", i), "", world.Selects(m), kube.ServicePort("http", 80, world.ServerPort)))
				backends = append(backends, backend{m, svc})
			}
			good, pairs := 0, 0
			for _, node := range w.Nodes {
				client := w.Client(node)
				for _, b := range backends {
					pairs++
					url := fmt.Sprintf("http://%s/info", b.svc.Spec.ClusterIP)
					if _, err := world.WaitHTTP(ctx, client, url, world.ReachBound); err != nil {
						verdict.Fatal(t, err)
					}
					// The judged request is the one after the first answer: the
					// client's node has the Service's rules by then. A first
					// answer can come another way (the self-test's fault that
					// routes service IPs from outside answered one through the
					// host and the backend's node, masqueraded, before the
					// client's node translated it).
					r, err := client.HTTP(ctx, url, 1, "--timeout", "2s")
					if err != nil {
						verdict.Fatalf(t, "probe failure, not the cluster's answer: %v", err)
					}
					if r.OK != 1 {
						verdict.Fatalf(t, "%s answered %s once, then not: %s", url, client, world.HTTPSummary(r))
					}
					var info probe.Info
					if err := json.Unmarshal([]byte(r.Body), &info); err != nil {
						verdict.Fatalf(t, "decode %q: %v", r.Body, err)
					}
					src, _, _ := net.SplitHostPort(info.Client)
					local, _, _ := net.SplitHostPort(info.Local)
					world.Evidence(chk, client, url+" (only "+b.server.Pod+" on "+b.server.Node+")", fmt.Sprintf("backend %s saw source %s, local address %s", info.Hostname, src, local))
					switch {
					case info.Hostname != b.server.Pod:
						verdict.Errorf(t, "%s answered for a Service whose only backend is %s", info.Hostname, b.server.Pod)
					case src != client.IP:
						verdict.Errorf(t, "%s on %s saw source %s from %s on %s, want the client pod IP %s", b.server.Pod, b.server.Node, src, client.Pod, node, client.IP)
					case local != b.server.IP || local == b.svc.Spec.ClusterIP:
						verdict.Errorf(t, "backend %s's local address is %s, want its pod IP %s (not the ClusterIP %s)", b.server.Pod, local, b.server.IP, b.svc.Spec.ClusterIP)
					default:
						good++
					}
				}
			}
			if good == pairs {
				chk.Confirm("for each of the %d pairs of client and backend nodes (%d nodes), the backend saw the client pod IP as source and its own pod IP (not the ClusterIP) as local address", pairs, len(w.Nodes))
			}
			return ctx
		}).Feature()
}
