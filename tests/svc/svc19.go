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

// SVC-19: a ClusterIP is virtual: only the service's ports answer on it.
// MUST: a port not in the Service gets no answer on the ClusterIP, even one
// the pods listen on.
func svc19(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-19", &chk).
		Assess("OnlyServicePortsAnswerOnTheClusterIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			svc := world.CreateService(ctx, t, w.C, kube.Service(w.NS, "svc19", "", map[string]string{"app": "server"}, kube.ServicePort("http", 80, world.ServerPort)))
			client := w.Client(w.Nodes[0])
			open := fmt.Sprintf("http://%s:80/hostname", svc.Spec.ClusterIP)
			r, err := world.WaitHTTP(ctx, client, open, time.Minute)
			world.Evidence(chk, client, open+" (service port)", world.HTTPSummary(r))
			if err != nil {
				verdict.Fatal(t, err)
			}
			closed := fmt.Sprintf("http://%s:%d/hostname", svc.Spec.ClusterIP, world.ServerPort)
			r, err = client.HTTP(ctx, closed, 3, "--timeout", "1s")
			if err != nil {
				verdict.Fatal(t, err)
			}
			world.Evidence(chk, client, closed+" (not a service port; the pods listen on it)", world.HTTPSummary(r))
			if r.OK > 0 {
				verdict.Errorf(t, "the ClusterIP answered on port %d, which the Service does not expose", world.ServerPort)
			}
			return ctx
		}).Feature()
}
