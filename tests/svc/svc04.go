//go:build e2e

package svc

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

// SVC-04: requests on the service port go to targetPort in the pod (8081 → 3000).
// MUST: the pods answer through clusterIP:8081 and svc:8081, on their port
// 3000 (they report the port a request arrived on); nothing answers on
// clusterIP:3000, which the Service does not expose, for every one of
// silentTries tries, after the same client reached clusterIP:8081 (its
// positive control). Confirmed when both hold; failed otherwise.
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
			ok := 0
			for _, url := range []string{
				fmt.Sprintf("http://%s:8081/info", clusterIP),
				"http://app1-service:8081/info",
			} {
				r, err := world.WaitHTTP(ctx, client, url, world.ReachBound)
				if err != nil {
					verdict.Error(t, err)
					continue
				}
				port := world.ArrivalPort(r)
				world.Evidence(chk, client, url, fmt.Sprintf("%s, arrived on pod port %d", world.HTTPSummary(r), port))
				if port != world.AltPort {
					verdict.Errorf(t, "%s arrived on pod port %d, want %d", url, port, world.AltPort)
					continue
				}
				ok++
			}
			if ok == 2 {
				chk.Confirm("clusterIP %s:8081 and app1-service:8081 both arrived on pod port %d", clusterIP, world.AltPort)
			}
			return ctx
		}).
		Assess("NothingAnswersOnClusterIPPort3000", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			control := fmt.Sprintf("http://%s:8081/hostname", clusterIP)
			r, err := world.WaitHTTP(ctx, client, control, world.ReachBound)
			if err != nil {
				verdict.Fatalf(t, "positive control: the service port does not answer either, so silence on 3000 would prove nothing: %v", err)
			}
			world.Evidence(chk, client, control+" (positive control: the service port)", world.HTTPSummary(r))
			url := fmt.Sprintf("http://%s:%d/hostname", clusterIP, world.AltPort)
			if s, silent := neverAnswers(ctx, t, chk, client, url, "the targetPort on the ClusterIP, not a service port"); silent {
				chk.Confirm("clusterIP %s answered on 8081 and not on %d: %s", clusterIP, world.AltPort, s)
			}
			return ctx
		}).Feature()
}
