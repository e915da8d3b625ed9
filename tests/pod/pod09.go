//go:build e2e

package pod

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// POD-09: there is no shared "localhost" across pods: each pod has its own.
// MUST: a server bound to 127.0.0.1 in pod A is not reachable on 127.0.0.1
// from pod B (connection refused), while it is from a second container in A.
func pod09(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("POD-09", &chk).
		Assess("LocalhostIsPerPod", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-pod09")
			image := harness.Current().ProbeImage
			server := kube.ProbeContainer("server", image, []int32{world.ServerPort}, "--listen-host", "127.0.0.1")
			server.ReadinessProbe = nil // the kubelet probes the pod IP, where nothing listens
			a, err := c.CreatePodReady(ctx, kube.Pod(ns, "pod-a", nil, "", kube.PodSpec(server, kube.IdleContainer("sidecar", image))), 2*time.Minute)
			if err != nil {
				verdict.Fatal(t, err)
			}
			b := w.Wait(t).Client(a.Spec.NodeName) // another pod on the same node: the strongest case
			sidecar := kube.Prober{C: c, NS: ns, Pod: a.Name, Container: "sidecar", IP: a.Status.PodIP}
			url := fmt.Sprintf("http://127.0.0.1:%d/hostname", world.ServerPort)
			var inA kube.Observation
			err = kube.WaitFor(ctx, "pod-a's server on its localhost", time.Minute, func(ctx context.Context) (kube.Observation, error) {
				r, err := sidecar.HTTP(ctx, url, 1)
				inA = kube.Observation{Done: err == nil && r.BackendCounts["pod-a"] == 1, Seen: world.HTTPSummary(r)}
				return inA, err
			})
			world.Evidence(chk, sidecar, url+" (second container of pod-a)", inA.Seen)
			if err != nil {
				verdict.Fatal(t, err)
			}
			r, err := b.HTTP(ctx, url, 1)
			if err != nil {
				verdict.Fatal(t, err)
			}
			world.Evidence(chk, b, url+" (another pod on the same node "+a.Spec.NodeName+")", world.HTTPSummary(r))
			if r.OK > 0 {
				verdict.Errorf(t, "pod-b reached pod-a's localhost-bound server")
			}
			if r.Refused != 1 {
				verdict.Errorf(t, "pod-b's connection to 127.0.0.1 was not refused: %s", world.HTTPSummary(r))
			}
			return ctx
		}).Feature()
}
