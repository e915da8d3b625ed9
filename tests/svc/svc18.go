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

// SVC-18: only pods that are ready receive traffic.
// MUST: a pod failing readiness leaves the EndpointSlice's ready set and,
// once the proxy has caught up (within world.ReachBound), gets none of 40
// requests while the other pod answers them all; it returns when ready
// again. Confirmed when all of that is seen.
//
// The victim's readiness is switched from inside it (an exec of the probe
// in its own container, to 127.0.0.1), so the switch uses no path of the
// network under test; an exec that could not run is retried.
func svc18(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-18", &chk).
		Assess("UnreadyPodLeavesAndRejoinsTheRotation", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-svc18")
			labels := map[string]string{"app": "ready"}
			pods := world.Deploy(ctx, t, c, ns, "ready", 2, labels, world.Server([]int32{world.ServerPort}))
			svc := world.CreateService(ctx, t, c, kube.Service(ns, "ready", "", labels, kube.ServicePort("http", 80, world.ServerPort)))
			client := w.Wait(t).AnyClient()
			url := fmt.Sprintf("http://%s/hostname", svc.Spec.ClusterIP)
			if _, err := world.EveryBackend(ctx, client, url, podNames(pods), world.ReachBound); err != nil {
				verdict.Fatal(t, err)
			}
			victim := pods[0]
			self := kube.Prober{C: c, NS: ns, Pod: victim.Name, Container: "server", IP: victim.Status.PodIP}
			setReady := func(ready bool) {
				admin := fmt.Sprintf("http://127.0.0.1:%d/admin/ready?state=%t", world.ServerPort, ready)
				err := kube.WaitFor(ctx, fmt.Sprintf("%s told from inside to be ready=%t", victim.Name, ready), 30*time.Second, func(ctx context.Context) (kube.Observation, error) {
					r, err := self.HTTP(ctx, admin, 1)
					return kube.Observation{Done: err == nil && r.OK == 1, Seen: world.HTTPSummary(r)}, err
				})
				if err != nil {
					verdict.Fatal(t, err)
				}
				chk.Evidence("%s readiness set to %t (exec in the pod, %s)", victim.Name, ready, admin)
			}
			setReady(false)
			if err := world.WaitEndpoints(ctx, c, ns, "ready", 1); err != nil {
				verdict.Fatal(t, err)
			}
			eps, _ := kube.ReadyEndpointIPs(ctx, c, ns, "ready")
			chk.Evidence("ready endpoints now %v (%s is %s)", eps, victim.Name, victim.Status.PodIP)
			err := kube.WaitFor(ctx, victim.Name+" out of the proxy's rotation", world.ReachBound, func(ctx context.Context) (kube.Observation, error) {
				r, err := client.HTTP(ctx, url, 20, "--timeout", "1s")
				return kube.Observation{Done: err == nil && r.BackendCounts[victim.Name] == 0 && r.OK == 20, Seen: world.HTTPSummary(r)}, err
			})
			if err != nil {
				verdict.Fatal(t, err)
			}
			r, err := client.HTTP(ctx, url, 40)
			if err != nil {
				verdict.Fatalf(t, "probe failure, not the cluster's answer: %v", err)
			}
			world.Evidence(chk, client, url+" (victim unready)", world.HTTPSummary(r))
			out := r.BackendCounts[victim.Name] == 0 && r.OK == 40
			if !out {
				verdict.Errorf(t, "with %s unready: %s", victim.Name, world.HTTPSummary(r))
			}
			setReady(true)
			if err := world.WaitEndpoints(ctx, c, ns, "ready", 2); err != nil {
				verdict.Fatal(t, err)
			}
			if _, err := world.EveryBackend(ctx, client, url, podNames(pods), world.ReachBound); err != nil {
				verdict.Fatal(t, err)
			}
			chk.Evidence("%s answers again through the service", victim.Name)
			if out {
				chk.Confirm("unready %s left the ready endpoints (%v) and got 0 of 40 requests; ready again, it answered through the service", victim.Name, eps)
			}
			return ctx
		}).Feature()
}
