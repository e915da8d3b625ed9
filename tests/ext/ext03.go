//go:build e2e

package ext

import (
	"context"
	"fmt"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// EXT-03: UDP service through a ClusterIP.
// MUST: once the Service's EndpointSlice lists the world's servers (waited
// for through the API), 5 datagrams to clusterIP:53/UDP reach the pods' UDP
// echo on 5353 and all come back from those servers (the echo names the
// pod), within world.ReachBound: confirmed; otherwise failed.
func ext03(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("EXT-03", &chk).
		Assess("UDPEchoAnswersThroughTheClusterIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			port := kube.ServicePort("dns", 53, world.UDPPort)
			port.Protocol = corev1.ProtocolUDP
			svc := world.CreateService(ctx, t, w.C, kube.Service(w.NS, "ext03-udp", "", map[string]string{"app": "server"}, port))
			if err := world.WaitEndpoints(ctx, w.C, w.NS, svc.Name, len(w.Servers)); err != nil {
				verdict.Fatal(t, err)
			}
			client := w.AnyClient()
			servers := map[string]bool{}
			for _, s := range w.Servers {
				servers[s.Pod] = true
			}
			addr := fmt.Sprintf("%s:53", svc.Spec.ClusterIP)
			var seen string
			var last map[string]int
			err := kube.WaitFor(ctx, "udp "+addr+" echoing", world.ReachBound, func(ctx context.Context) (kube.Observation, error) {
				r, err := client.Dial(ctx, "udp", addr, 5)
				if err != nil {
					return kube.Observation{}, err // the probe did not run: try again
				}
				seen, last = world.DialSummary(r), r.BackendCounts
				fromServers := 0
				for b, n := range r.BackendCounts {
					if servers[b] {
						fromServers += n
					}
				}
				return kube.Observation{Done: r.OK == r.Tries && fromServers == r.Tries, Seen: seen}, nil
			})
			world.Evidence(chk, client, "udp "+addr+" (targetPort 5353)", seen)
			if err != nil {
				verdict.Fatal(t, err)
			}
			chk.Backends(last)
			chk.Confirm("5/5 UDP datagrams to ClusterIP %s came back from the world's servers %s", addr, world.Counts(last))
			return ctx
		}).Feature()
}
