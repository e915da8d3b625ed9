//go:build e2e

package ext

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/claims"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// EXT-03: UDP service through a ClusterIP.
// MUST: datagrams to clusterIP:53/UDP reach the pod's UDP echo on 5353 and come back.
func ext03() features.Feature {
	var chk *claims.Check
	return world.Claim("EXT-03", &chk).
		Assess("UDPEchoAnswersThroughTheClusterIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-ext03")
			labels := map[string]string{"app": "udp"}
			pods := world.Deploy(ctx, t, c, ns, "udp", 1, labels, world.Server([]int32{world.ServerPort}, "--udp-echo-ports", "5353"))
			port := kube.ServicePort("dns", 53, 5353)
			port.Protocol = corev1.ProtocolUDP
			svc := world.CreateService(ctx, t, c, kube.Service(ns, "udp", "", labels, port))
			client := world.StartClient(ctx, t, c, ns, "client", "")
			addr := fmt.Sprintf("%s:53", svc.Spec.ClusterIP)
			var seen string
			err := kube.WaitFor(ctx, "udp "+addr+" echoing", time.Minute, func(ctx context.Context) (kube.Observation, error) {
				r, err := client.Dial(ctx, "udp", addr, 5)
				seen = world.DialSummary(r)
				return kube.Observation{Done: err == nil && r.OK == r.Tries && r.BackendCounts[pods[0].Name] == r.Tries, Seen: seen}, err
			})
			world.Evidence(chk, client, "udp "+addr+" (targetPort 5353)", seen)
			if err != nil {
				t.Error(err)
			}
			return ctx
		}).Feature()
}
