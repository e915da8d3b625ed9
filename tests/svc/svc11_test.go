//go:build e2e

package svc

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/claims"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// SVC-11: a service can receive on any port and forward to any port; one
// service may expose several ports.
// MUST: a two-port Service maps each port to its own targetPort.
func svc11() features.Feature {
	var chk *claims.Check
	return world.Claim("SVC-11", &chk).
		Assess("EachServicePortReachesItsOwnTargetPort", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-svc11")
			labels := map[string]string{"app": "multi"}
			world.Deploy(ctx, t, c, ns, "multi", 1, labels, world.Server([]int32{8080, 3000}))
			svc := world.CreateService(ctx, t, c, kube.Service(ns, "multi", "", labels,
				kube.ServicePort("web", 80, 8080), kube.ServicePort("api", 5000, 3000)))
			client := world.StartClient(ctx, t, c, ns, "client", "")
			for _, m := range []struct{ port, target int }{{80, 8080}, {5000, 3000}} {
				url := fmt.Sprintf("http://%s:%d/info", svc.Spec.ClusterIP, m.port)
				r, err := world.WaitHTTP(ctx, client, url, time.Minute)
				if err != nil {
					t.Fatal(err)
				}
				var info probe.Info
				json.Unmarshal([]byte(r.Body), &info)
				world.Evidence(chk, client, url, fmt.Sprintf("%s, arrived on pod port %d", world.HTTPSummary(r), info.Port))
				if info.Port != m.target {
					t.Errorf("service port %d arrived on pod port %d, want %d", m.port, info.Port, m.target)
				}
			}
			return ctx
		}).Feature()
}
