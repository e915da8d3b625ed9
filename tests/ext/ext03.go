//go:build e2e

package ext

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// EXT-03: UDP service through a ClusterIP.
// MUST: datagrams to clusterIP:53/UDP reach the pods' UDP echo on 5353 and
// come back (the echo names the pod that answered).
func ext03(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("EXT-03", &chk).
		Assess("UDPEchoAnswersThroughTheClusterIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			port := kube.ServicePort("dns", 53, world.UDPPort)
			port.Protocol = corev1.ProtocolUDP
			svc := world.CreateService(ctx, t, w.C, kube.Service(w.NS, "udp", "", map[string]string{"app": "server"}, port))
			client := w.AnyClient()
			servers := map[string]bool{}
			for _, s := range w.Servers {
				servers[s.Pod] = true
			}
			addr := fmt.Sprintf("%s:53", svc.Spec.ClusterIP)
			var seen string
			err := kube.WaitFor(ctx, "udp "+addr+" echoing", time.Minute, func(ctx context.Context) (kube.Observation, error) {
				r, err := client.Dial(ctx, "udp", addr, 5)
				seen = world.DialSummary(r)
				fromServers := 0
				for b, n := range r.BackendCounts {
					if servers[b] {
						fromServers += n
					}
				}
				return kube.Observation{Done: err == nil && r.OK == r.Tries && fromServers == r.Tries, Seen: seen}, err
			})
			world.Evidence(chk, client, "udp "+addr+" (targetPort 5353)", seen)
			if err != nil {
				verdict.Error(t, err)
			}
			return ctx
		}).Feature()
}
