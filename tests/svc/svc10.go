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

// SVC-10: a ClusterIP is only valid inside the cluster.
// MUST (env): from an observer outside the cluster the ClusterIP does not answer.
func svc10(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-10", &chk).
		Assess("ClusterIPDoesNotAnswerFromOutside", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			svc := world.CreateService(ctx, t, w.C, kube.Service(w.NS, "svc10", "", map[string]string{"app": "server"}, kube.ServicePort("http", 80, world.ServerPort)))
			inside := fmt.Sprintf("http://%s/hostname", svc.Spec.ClusterIP)
			if r, err := world.WaitHTTP(ctx, w.Client(w.Nodes[0]), inside, time.Minute); err != nil {
				verdict.Fatal(t, err)
			} else {
				world.Evidence(chk, w.Client(w.Nodes[0]), inside+" (inside, for contrast)", world.HTTPSummary(r))
			}
			r, reason, ok := world.OutsideObserver(ctx, "--url", inside, "--tries", "1", "--timeout", "2s")
			if !ok {
				chk.NotApplicable(t, reason)
			}
			world.Evidence(chk, world.OutsideObserverName{}, inside, world.HTTPSummary(r))
			if r.OK > 0 {
				verdict.Errorf(t, "the ClusterIP %s answered from outside the cluster", svc.Spec.ClusterIP)
			}
			return ctx
		}).Feature()
}
