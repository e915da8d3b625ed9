//go:build e2e

package dns

import (
	"context"
	"fmt"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// DNS-17: document 000 says "any URL http://web-app-service:xxxx should be
// routed to the web-server pod at xxxx port".
// MUST: a request to http://<svc>:<port> arrives at the pod on the
// Service's targetPort. With port 8081 -> targetPort 3000 (document 001's
// mapping) the pod reports (/info, world.ArrivalPort) that it received the
// request on 3000, so the general statement is refuted, with the port the
// pod saw. Beside it, the control where targetPort equals port (8080 ->
// 8080) arrives on 8080: the /info answer reports ports truly. No pod
// listens on 8081, so no conformant cluster can confirm the document: an
// arrival on any port but the targetPort is failed.
func dns17(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-17", &chk).
		Setup(f.setup).
		Assess("RequestArrivesOnTheTargetPortNotTheServicePort", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			svc := world.CreateService(ctx, t, f.c, kube.Service(f.ns, "dns17", "", map[string]string{"app": "server"},
				kube.ServicePort("mapped", 8081, world.AltPort), kube.ServicePort("same", world.ServerPort, world.ServerPort)))
			if err := waitSomeEndpoints(ctx, f.c, f.ns, svc.Name); err != nil {
				verdict.Fatal(t, err)
			}
			arrival := map[int32]int{}
			for _, port := range []int32{world.ServerPort, 8081} {
				url := fmt.Sprintf("http://dns17:%d/info", port)
				r, ok := answers(ctx, t, chk, f.local, url, world.ReachBound)
				if !ok {
					return ctx
				}
				arrival[port] = world.ArrivalPort(r)
				chk.Evidence("  %s arrived at %s on port %d: %s", url, hostnames(r.BackendCounts), arrival[port], r.Body)
			}
			if arrival[world.ServerPort] != world.ServerPort {
				verdict.Fatalf(t, "control: http://dns17:%d (targetPort %d) arrived on port %d, so the pod's report of its port cannot be trusted", world.ServerPort, world.ServerPort, arrival[world.ServerPort])
			}
			switch got := arrival[8081]; got {
			case world.AltPort:
				chk.Refute("http://dns17:8081 (Service port 8081, targetPort %d) arrived at the pod on port %d, not 8081; only where targetPort equals port (8080 -> 8080) does the port stay the same", world.AltPort, got)
			default:
				verdict.Errorf(t, "http://dns17:8081 arrived at the pod on port %d, want the Service's targetPort %d", got, world.AltPort)
			}
			return ctx
		}).Feature()
}

// hostnames names the pods that answered: "server-0" or "{a:1 b:2}".
func hostnames(counts map[string]int) string {
	if len(counts) == 1 {
		for h := range counts {
			return h
		}
	}
	return world.Counts(counts)
}
