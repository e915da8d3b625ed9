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

// SVC-10: a ClusterIP is only valid inside the cluster.
// MUST (env): a client inside reaches the ClusterIP; an observer outside
// the cluster that has just reached a node's NodePort (its positive
// control) gets no answer from the ClusterIP for world.NotReachableFor.
func svc10(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-10", &chk).
		Assess("ClusterIPDoesNotAnswerFromOutside", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			outside := world.NewOutside(ctx, t, chk, w)
			svc := world.CreateService(ctx, t, w.C, kube.Service(w.NS, "svc10", "", map[string]string{"app": "server"}, kube.ServicePort("http", 80, world.ServerPort)))
			inside := fmt.Sprintf("http://%s/hostname", svc.Spec.ClusterIP)
			r, err := world.WaitHTTP(ctx, w.Client(w.Nodes[0]), inside, world.ReachBound)
			if err != nil {
				verdict.Fatalf(t, "the ClusterIP does not answer inside the cluster either, so silence outside proves nothing: %v", err)
			}
			world.Evidence(chk, w.Client(w.Nodes[0]), inside+" (inside, for contrast)", world.HTTPSummary(r))
			silent := outside.NeverAnswers(ctx, t, chk, inside, "ClusterIP "+svc.Spec.ClusterIP)
			if silent.OK == 0 {
				chk.Confirm("ClusterIP %s answered inside; from outside, after the control %s answered: %s", svc.Spec.ClusterIP, outside.Control, world.Silence(silent))
			}
			return ctx
		}).Feature()
}
