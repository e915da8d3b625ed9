//go:build e2e

package svc

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/claims"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// SVC-04: requests on the service port go to targetPort in the pod (8081 → 3000).
// MUST: a pod listening only on 3000 answers through clusterIP:8081 and
// svc:8081; nothing answers on clusterIP:3000.
func svc04() features.Feature {
	var (
		chk           *claims.Check
		ns, clusterIP string
		client        kube.Prober
	)
	return world.Claim("SVC-04", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			var c *kube.Client
			c, ns = world.OwnNamespace(ctx, t, "nc-svc04")
			labels := map[string]string{"app": "app1"}
			world.Deploy(ctx, t, c, ns, "app1", 1, labels, world.Server([]int32{3000}))
			svc := world.CreateService(ctx, t, c, kube.Service(ns, "app1-service", "", labels, kube.ServicePort("http", 8081, 3000)))
			clusterIP = svc.Spec.ClusterIP
			client = world.StartClient(ctx, t, c, ns, "client", "")
			return ctx
		}).
		Assess("ServicePort8081ReachesPodPort3000", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			for _, url := range []string{
				fmt.Sprintf("http://%s:8081/hostname", clusterIP),
				"http://app1-service:8081/hostname",
			} {
				r, err := world.WaitHTTP(ctx, client, url, time.Minute)
				world.Evidence(chk, client, url, world.HTTPSummary(r))
				if err != nil {
					t.Error(err)
				}
			}
			return ctx
		}).
		Assess("NothingAnswersOnClusterIPPort3000", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			url := fmt.Sprintf("http://%s:3000/hostname", clusterIP)
			r, err := client.HTTP(ctx, url, 3, "--timeout", "1s")
			if err != nil {
				t.Fatal(err)
			}
			world.Evidence(chk, client, url, world.HTTPSummary(r))
			if r.OK > 0 {
				t.Errorf("the ClusterIP answered on the targetPort 3000, which the Service does not expose")
			}
			return ctx
		}).Feature()
}
