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

// EXT-04: sessionAffinity ClientIP pins a client to one backend.
//
// Bound: 60 requests from one client through a Service with 3 replicas and
// ClientIP affinity must all reach one backend. With affinity the proxy is
// deterministic, so a healthy cluster never fails this (false-failure
// probability 0, well under 1e-6). Without affinity, all 60 landing on one
// of 3 backends by chance has probability 3 * (1/3)^60, about 1e-28: the
// check cannot pass by luck.
func ext04() features.Feature {
	var chk *claims.Check
	return world.Claim("EXT-04", &chk).
		Assess("ClientIPAffinityPinsOneBackend", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-ext04")
			labels := map[string]string{"app": "sticky"}
			world.Deploy(ctx, t, c, ns, "sticky", 3, labels, world.Server([]int32{world.ServerPort}))
			svc := kube.Service(ns, "sticky", "", labels, kube.ServicePort("http", 80, world.ServerPort))
			svc.Spec.SessionAffinity = corev1.ServiceAffinityClientIP
			created := world.CreateService(ctx, t, c, svc)
			client := world.StartClient(ctx, t, c, ns, "client", "")
			url := fmt.Sprintf("http://%s/hostname", created.Spec.ClusterIP)
			// Wait until all 3 endpoints are programmed, so the pin is chosen among all of them.
			if err := world.WaitEndpoints(ctx, c, ns, "sticky", 3); err != nil {
				t.Fatal(err)
			}
			if _, err := world.WaitHTTP(ctx, client, url, time.Minute); err != nil {
				t.Fatal(err)
			}
			r, err := client.HTTP(ctx, url, 60)
			if err != nil {
				t.Fatal(err)
			}
			world.Evidence(chk, client, url+" (sessionAffinity ClientIP)", world.HTTPSummary(r))
			chk.Backends(r.BackendCounts)
			if len(r.BackendCounts) != 1 || r.OK != 60 {
				t.Errorf("60 requests from one client reached %d backends %v, want exactly 1", len(r.BackendCounts), r.BackendCounts)
			}
			return ctx
		}).Feature()
}
