//go:build e2e

package svc

import (
	"context"
	"fmt"
	"testing"

	"github.com/netconform/netconform/pkg/claims"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// SVC-12: old and new versions behind one selector share the traffic.
// MUST: pods labelled v1 and v2 that share the selector label both answer
// through one ClusterIP. With 60 requests and two backends picked at random,
// one backend is missed with probability 2^-59 (about 2e-18).
func svc12() features.Feature {
	var chk *claims.Check
	return world.Claim("SVC-12", &chk).
		Assess("V1AndV2PodsBothAnswerThroughOneService", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-svc12")
			v1 := world.Deploy(ctx, t, c, ns, "app-v1", 1, map[string]string{"app": "split", "version": "v1"}, world.Server([]int32{world.ServerPort}))
			v2 := world.Deploy(ctx, t, c, ns, "app-v2", 1, map[string]string{"app": "split", "version": "v2"}, world.Server([]int32{world.ServerPort}))
			svc := world.CreateService(ctx, t, c, kube.Service(ns, "split", "", map[string]string{"app": "split"}, kube.ServicePort("http", 80, world.ServerPort)))
			client := world.StartClient(ctx, t, c, ns, "client", "")
			url := fmt.Sprintf("http://%s/hostname", svc.Spec.ClusterIP)
			if err := waitAllBackends(ctx, client, url, 2); err != nil {
				t.Fatal(err)
			}
			r, err := client.HTTP(ctx, url, 60)
			if err != nil {
				t.Fatal(err)
			}
			world.Evidence(chk, client, url, world.HTTPSummary(r))
			chk.Backends(r.BackendCounts)
			for _, p := range append(v1, v2...) {
				chk.Evidence("%s (version %s): %d requests", p.Name, p.Labels["version"], r.BackendCounts[p.Name])
				if r.BackendCounts[p.Name] == 0 {
					t.Errorf("%s (version %s) got no traffic", p.Name, p.Labels["version"])
				}
			}
			return ctx
		}).Feature()
}
