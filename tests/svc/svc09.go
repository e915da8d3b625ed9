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
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// SVC-09: the proxy rewrites the destination (DNAT) to a backend pod; the
// backend sees the client pod's IP.
// MUST: for a connection made to the ClusterIP, the backend reports the
// client pod IP as source and its own pod IP as the local address.
func svc09(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-09", &chk).
		Assess("BackendSeesClientIPAndItsOwnPodIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			svc := world.CreateService(ctx, t, w.C, kube.Service(w.NS, "svc09", "", map[string]string{"app": "server"}, kube.ServicePort("http", 80, world.ServerPort)))
			podIPs := map[string]string{}
			for _, s := range w.Servers {
				podIPs[s.Pod] = s.IP
			}
			url := fmt.Sprintf("http://%s/info", svc.Spec.ClusterIP)
			good := 0
			for _, node := range w.Nodes {
				client := w.Client(node)
				r, err := world.WaitHTTP(ctx, client, url, world.ReachBound)
				if err != nil {
					verdict.Fatal(t, err)
				}
				var info probe.Info
				if err := json.Unmarshal([]byte(r.Body), &info); err != nil {
					verdict.Fatalf(t, "decode %q: %v", r.Body, err)
				}
				src, _, _ := net.SplitHostPort(info.Client)
				local, _, _ := net.SplitHostPort(info.Local)
				world.Evidence(chk, client, url, fmt.Sprintf("backend %s saw source %s, local address %s", info.Hostname, src, local))
				if src != client.IP {
					verdict.Errorf(t, "backend saw source %s, want the client pod IP %s", src, client.IP)
					continue
				}
				if local != podIPs[info.Hostname] || local == svc.Spec.ClusterIP {
					verdict.Errorf(t, "backend %s's local address is %s, want its pod IP %s (not the ClusterIP %s)", info.Hostname, local, podIPs[info.Hostname], svc.Spec.ClusterIP)
					continue
				}
				good++
			}
			if good == len(w.Nodes) {
				chk.Confirm("from the clients on each of the %d schedulable nodes, the backend saw the client pod IP as source and its own pod IP (not clusterIP %s) as local address", good, svc.Spec.ClusterIP)
			}
			return ctx
		}).Feature()
}
