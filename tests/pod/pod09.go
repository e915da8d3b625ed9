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

// localOnlyPort is where POD-09's pod-a listens on 127.0.0.1 only; no
// world server listens there.
const localOnlyPort = 18080

// POD-09: there is no shared "localhost" across pods: each pod has its own.
// MUST: a server bound to 127.0.0.1 in pod A answers A's second
// container on 127.0.0.1; pod B, another pod on the same node (a world
// server), reaches its own server on 127.0.0.1 (B's positive control:
// its loopback works) and is refused on A's port of 127.0.0.1 on every
// try for silentFor. The document and Kubernetes agree: confirmed, or
// failed (A's server reached from B, or no refusal).
func pod09(w *world.World) features.Feature {
	var (
		chk     *verdict.Check
		sidecar kube.Prober // pod-a's second container
		b       kube.Prober // a world server on pod-a's node
		bPod    string
	)
	return verdict.Claim("POD-09", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			s := w.Wait(t).Servers[0]
			c, ns := world.OwnNamespace(ctx, t, "nc-pod09")
			image := harness.Current().ProbeImage
			server := kube.ProbeContainer("server", image, []int32{localOnlyPort}, "--listen-host", "127.0.0.1")
			server.ReadinessProbe = nil // the kubelet probes the pod IP, where nothing listens
			a, err := c.CreatePodReady(ctx, kube.Pod(ns, "pod-a", nil, s.Node, kube.PodSpec(server, kube.IdleContainer("sidecar", image))), 2*time.Minute)
			if err != nil {
				verdict.Fatal(t, err)
			}
			sidecar = kube.Prober{C: c, NS: ns, Pod: a.Name, Container: "sidecar", IP: a.Status.PodIP}
			b, bPod = kube.Prober{C: w.C, NS: w.NS, Pod: s.Pod, Container: "server", IP: s.IP}, s.Pod
			return ctx
		}).
		Assess("LocalhostIsPerPod", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			aURL := fmt.Sprintf("http://127.0.0.1:%d/hostname", localOnlyPort)
			inA, err := world.WaitHTTP(ctx, sidecar, aURL, world.ReachBound)
			world.Evidence(chk, sidecar, aURL+" (second container of pod-a)", world.HTTPSummary(inA))
			if err != nil || inA.BackendCounts["pod-a"] != 1 {
				verdict.Fatalf(t, "pod-a's own second container did not reach its localhost server, so nothing can be said of other pods: %s %v", world.HTTPSummary(inA), err)
			}
			bURL := fmt.Sprintf("http://127.0.0.1:%d/hostname", world.ServerPort)
			own, err := world.WaitHTTP(ctx, b, bURL, world.ReachBound)
			world.Evidence(chk, b, bURL+" (pod-b's own server, positive control)", world.HTTPSummary(own))
			if err != nil || own.BackendCounts[bPod] != 1 {
				verdict.Fatalf(t, "pod-b (%s) did not reach its own server on 127.0.0.1, so its silence on pod-a's port would prove nothing: %s %v", bPod, world.HTTPSummary(own), err)
			}
			r, err := pollSilent(ctx, b, aURL)
			if err != nil {
				verdict.Fatal(t, err)
			}
			world.Evidence(chk, b, aURL+" (pod-a's port, from pod-b on the same node; polled "+silentFor.String()+")", world.HTTPSummary(r))
			switch {
			case r.BackendCounts["pod-a"] > 0:
				verdict.Errorf(t, "pod-b reached pod-a's localhost-bound server: %s", world.HTTPSummary(r))
			case r.Refused != r.Tries:
				verdict.Errorf(t, "pod-b's connections to 127.0.0.1:%d were not all refused: %s", localOnlyPort, world.HTTPSummary(r))
			default:
				chk.Confirm("pod-a's server on 127.0.0.1:%d answered pod-a's second container; pod-b %s, on the same node, reached its own server on 127.0.0.1:%d and was refused on 127.0.0.1:%d %d of %d tries",
					localOnlyPort, bPod, world.ServerPort, localOnlyPort, r.Refused, r.Tries)
			}
			return ctx
		}).Feature()
}
