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

// SVC-19: a ClusterIP is virtual: only the service's ports answer on it.
// MUST: after the service port answered a client from every backend (its
// positive control; every backend, so that a broken node fails the claim
// the same way whichever backend would have answered first),
// a port not in the Service, one the pods listen on, gets no answer on the
// ClusterIP from the same client for every one of silentTries tries.
// Confirmed when both are seen; failed when the other port answers.
func svc19(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-19", &chk).
		Assess("OnlyServicePortsAnswerOnTheClusterIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			svc := world.CreateService(ctx, t, w.C, kube.Service(w.NS, "svc19", "", map[string]string{"app": "server"}, kube.ServicePort("http", 80, world.ServerPort)))
			client := w.Client(w.Nodes[0])
			open := fmt.Sprintf("http://%s:80/hostname", svc.Spec.ClusterIP)
			r, err := world.EveryBackend(ctx, client, open, w.ServerNames(), world.ReachBound)
			world.Evidence(chk, client, open+" (positive control: the service port)", world.HTTPSummary(r))
			if err != nil {
				verdict.Fatalf(t, "positive control: the service port does not answer, so silence elsewhere would prove nothing: %v", err)
			}
			closed := fmt.Sprintf("http://%s:%d/hostname", svc.Spec.ClusterIP, world.ServerPort)
			if s, silent := neverAnswers(ctx, t, chk, client, closed, "not a service port; the pods listen on it"); silent {
				chk.Confirm("clusterIP %s answered on its service port 80 and not on %d: %s", svc.Spec.ClusterIP, world.ServerPort, s)
			}
			return ctx
		}).Feature()
}
