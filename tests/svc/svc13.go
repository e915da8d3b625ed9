//go:build e2e

package svc

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// rollingReplicas is how many pods the rolling update replaces.
const rollingReplicas = 2

// rolloutBudget is how many requests may fail while the replicas are replaced:
// one per replaced pod, for a connection that races its endpoint's removal.
// The pods drain (--drain 3s: not ready, still serving) so none should.
const rolloutBudget = rollingReplicas

// SVC-13: Deployments replace pods; the service keeps routing to the new pods.
// MUST: during a rolling update the service answers throughout (at most
// rolloutBudget failed requests), and afterwards only new pods answer.
//
// The update surges all replicas at once (world.SurgeAll),
// still a rolling update: old pods leave only once new ones are ready.
// Requests run in batches of 10, 100 ms apart, from before the update until
// the rollout has finished.
func svc13(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-13", &chk).
		Assess("ServiceAnswersThroughoutARollingUpdate", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-svc13")
			labels := map[string]string{"app": "rolling"}
			spec := world.Server([]int32{world.ServerPort}, "--drain", "3s")
			spec.TerminationGracePeriodSeconds = ptrInt64(10)
			d := world.SurgeAll(kube.Deployment(ns, "rolling", rollingReplicas, labels, spec))
			old := world.DeployObject(ctx, t, c, d)
			svc := world.CreateService(ctx, t, c, kube.Service(ns, "rolling", "", labels, kube.ServicePort("http", 80, world.ServerPort)))
			client := w.Wait(t).AnyClient()
			url := fmt.Sprintf("http://%s/hostname", svc.Spec.ClusterIP)
			if err := waitAllBackends(ctx, client, url, rollingReplicas); err != nil {
				verdict.Fatal(t, err)
			}
			rolled := make(chan error, 1)
			go func() {
				patch := fmt.Sprintf(`{"spec":{"template":{"metadata":{"annotations":{"netconform.io/rev":"%d"}}}}}`, time.Now().UnixNano())
				if _, err := c.AppsV1().Deployments(ns).Patch(ctx, "rolling", types.StrategicMergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
					rolled <- err
					return
				}
				rolled <- c.WaitRolledOut(ctx, ns, "rolling", 2*time.Minute)
			}()
			var during probe.HTTPResult
			for done := false; !done; {
				select {
				case err := <-rolled:
					if err != nil {
						verdict.Fatal(t, err)
					}
					done = true // one more batch, after the last old pod left
				default:
				}
				r, err := client.HTTP(ctx, url, 10, "--interval", "100ms", "--timeout", "1s")
				if err != nil {
					verdict.Fatal(t, err)
				}
				during.Merge(r)
			}
			chk.Evidence("rollout of %s/rolling finished", ns)
			world.Evidence(chk, client, fmt.Sprintf("%s (%d requests, 100 ms apart, during the rollout)", url, during.Tries), world.HTTPSummary(during))
			if failed := during.Tries - during.OK; failed > rolloutBudget {
				verdict.Errorf(t, "%d requests failed during the rollout, budget %d", failed, rolloutBudget)
			}
			after, err := client.HTTP(ctx, url, 30)
			if err != nil {
				verdict.Fatal(t, err)
			}
			world.Evidence(chk, client, url+" (after the rollout)", world.HTTPSummary(after))
			for _, p := range old {
				if after.BackendCounts[p.Name] > 0 {
					verdict.Errorf(t, "old pod %s still answers after the rollout", p.Name)
				}
			}
			if after.OK != after.Tries {
				verdict.Errorf(t, "%d requests failed after the rollout", after.Tries-after.OK)
			}
			return ctx
		}).Feature()
}

func ptrInt64(v int64) *int64 { return &v }
