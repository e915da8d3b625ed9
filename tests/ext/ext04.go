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

// EXT-04: sessionAffinity ClientIP pins a client to one backend.
//
// Bound: 60 requests from one client through a Service with 3 replicas and
// ClientIP affinity must all reach one backend. With affinity the proxy is
// deterministic, so a healthy cluster never fails this (false-failure
// probability 0, well under 1e-6). Without affinity, all 60 landing on one
// of 3 backends by chance has probability 3 * (1/3)^60, about 1e-28: the
// check cannot pass by luck.
func ext04(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("EXT-04", &chk).
		Assess("ClientIPAffinityPinsOneBackend", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			svc := kube.Service(w.NS, "sticky", "", map[string]string{"app": "server"}, kube.ServicePort("http", 80, world.ServerPort))
			svc.Spec.SessionAffinity = corev1.ServiceAffinityClientIP
			created := world.CreateService(ctx, t, w.C, svc)
			client := w.AnyClient()
			url := fmt.Sprintf("http://%s/hostname", created.Spec.ClusterIP)
			if err := world.WaitEndpoints(ctx, w.C, w.NS, "sticky", len(w.Servers)); err != nil {
				verdict.Fatal(t, err)
			}
			if _, err := world.WaitHTTP(ctx, client, url, time.Minute); err != nil {
				verdict.Fatal(t, err)
			}
			r, err := client.HTTP(ctx, url, 60)
			if err != nil {
				verdict.Fatal(t, err)
			}
			world.Evidence(chk, client, url+" (sessionAffinity ClientIP)", world.HTTPSummary(r))
			chk.Backends(r.BackendCounts)
			if len(r.BackendCounts) != 1 || r.OK != 60 {
				verdict.Errorf(t, "60 requests from one client reached %d backends %v, want exactly 1", len(r.BackendCounts), r.BackendCounts)
			}
			return ctx
		}).Feature()
}
