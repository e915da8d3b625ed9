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

// SVC-12: old and new versions behind one selector share the traffic.
// MUST: pods labelled v1 and v2 that share the selector label both answer
// through one ClusterIP. With 60 requests and two backends picked at random,
// one backend is missed with probability 2^-59 (about 2e-18).
func svc12(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-12", &chk).
		Assess("V1AndV2PodsBothAnswerThroughOneService", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			// The world's servers carry version v1 or v2 beside app=server.
			svc := world.CreateService(ctx, t, w.C, kube.Service(w.NS, "split", "", map[string]string{"app": "server"}, kube.ServicePort("http", 80, world.ServerPort)))
			client := w.AnyClient()
			url := fmt.Sprintf("http://%s/hostname", svc.Spec.ClusterIP)
			r := steadyRequests(ctx, t, chk, w.C, w.NS, "split", client, url, w.ServerNames(), 60)
			world.Evidence(chk, client, url, world.HTTPSummary(r))
			chk.Backends(r.BackendCounts)
			perVersion := map[string]int{}
			for _, p := range w.Servers {
				perVersion[p.Version] += r.BackendCounts[p.Pod]
				chk.Evidence("%s (version %s): %d requests", p.Pod, p.Version, r.BackendCounts[p.Pod])
			}
			for _, v := range []string{"v1", "v2"} {
				if perVersion[v] == 0 {
					verdict.Errorf(t, "no %s pod got traffic: %v", v, perVersion)
				}
			}
			if perVersion["v1"] > 0 && perVersion["v2"] > 0 {
				chk.Confirm("one ClusterIP, one selector: v1 pods answered %d and v2 pods %d of %d requests", perVersion["v1"], perVersion["v2"], r.Tries)
			}
			return ctx
		}).Feature()
}
