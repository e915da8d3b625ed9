//go:build e2e

package svc

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// SVC-11: a service can receive on any port and forward to any port; one
// service may expose several ports.
// MUST: a two-port Service maps each port to its own targetPort, for
// every backend (the world's servers, on every node): a backend that never
// answers on a port fails the claim, whichever node it is on.
func svc11(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-11", &chk).
		Assess("EachServicePortReachesItsOwnTargetPort", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			svc := world.CreateService(ctx, t, w.C, kube.Service(w.NS, "multi", "", map[string]string{"app": "server"},
				kube.ServicePort("web", 80, world.ServerPort), kube.ServicePort("api", 5000, world.AltPort)))
			client := w.AnyClient()
			var seen []string
			for _, m := range []struct{ port, target int }{{80, world.ServerPort}, {5000, world.AltPort}} {
				url := fmt.Sprintf("http://%s:%d/info", svc.Spec.ClusterIP, m.port)
				r, err := world.EveryBackend(ctx, client, url, w.ServerNames(), world.ReachBound)
				if err != nil {
					verdict.Fatal(t, err)
				}
				port := world.ArrivalPort(r)
				world.Evidence(chk, client, url, fmt.Sprintf("%s, arrived on pod port %d", world.HTTPSummary(r), port))
				if port != m.target {
					verdict.Errorf(t, "service port %d arrived on pod port %d, want %d", m.port, port, m.target)
					continue
				}
				seen = append(seen, fmt.Sprintf("%d→%d", m.port, port))
			}
			if len(seen) == 2 {
				chk.Confirm("one Service, two ports, each to its own pod port: %s", strings.Join(seen, ", "))
			}
			return ctx
		}).Feature()
}
