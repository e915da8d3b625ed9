//go:build e2e

package svc

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// SVC-04: requests on the service port go to targetPort in the pod (8081 → 3000).
// MUST: the pods answer through clusterIP:8081 and svc:8081, on their port
// 3000 (they report the port a request arrived on); nothing answers on
// clusterIP:3000, which the Service does not expose.
func svc04(w *world.World) features.Feature {
	var (
		chk       *verdict.Check
		clusterIP string
		client    kube.Prober
	)
	return verdict.Claim("SVC-04", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			svc := world.CreateService(ctx, t, w.C, kube.Service(w.NS, "app1-service", "", map[string]string{"app": "server"},
				kube.ServicePort("http", 8081, world.AltPort)))
			clusterIP = svc.Spec.ClusterIP
			client = w.AnyClient()
			return ctx
		}).
		Assess("ServicePort8081ReachesPodPort3000", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			for _, url := range []string{
				fmt.Sprintf("http://%s:8081/info", clusterIP),
				"http://app1-service:8081/info",
			} {
				r, err := world.WaitHTTP(ctx, client, url, time.Minute)
				if err != nil {
					verdict.Error(t, err)
					continue
				}
				port := world.ArrivalPort(r)
				world.Evidence(chk, client, url, fmt.Sprintf("%s, arrived on pod port %d", world.HTTPSummary(r), port))
				if port != world.AltPort {
					verdict.Errorf(t, "%s arrived on pod port %d, want %d", url, port, world.AltPort)
				}
			}
			return ctx
		}).
		Assess("NothingAnswersOnClusterIPPort3000", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			url := fmt.Sprintf("http://%s:3000/hostname", clusterIP)
			r, err := client.HTTP(ctx, url, 3, "--timeout", "1s")
			if err != nil {
				verdict.Fatal(t, err)
			}
			world.Evidence(chk, client, url, world.HTTPSummary(r))
			if r.OK > 0 {
				verdict.Errorf(t, "the ClusterIP answered on the targetPort 3000, which the Service does not expose")
			}
			return ctx
		}).Feature()
}
