//go:build e2e

package ext

import (
	"context"
	"fmt"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// affinityRequests is how many requests each Service of EXT-04 gets.
const affinityRequests = 60

// EXT-04: sessionAffinity ClientIP pins a client to one backend.
// MUST: 60 requests from one client through a Service over all the world's
// servers with ClientIP affinity all reach one backend, while the same
// client through a Service over the same servers without affinity reaches
// more than one (the positive control: the client can see several
// backends, so seeing one is the affinity's doing): confirmed; otherwise
// failed. A try that timed out (no backend answered) is tried again, at
// most twice for the shortfall: it says nothing of which backend answers.
// The requests are judged only in a window in which the endpoints stood
// still (world.SteadyWindow).
//
// Bound: with affinity the proxy is deterministic, so a healthy cluster
// never fails the pin. Without affinity, all 60 requests landing on one of
// (at least) 3 backends by chance has probability 3 * (1/3)^60, about
// 1e-28: neither the pin nor the control can pass or fail by luck.
func ext04(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("EXT-04", &chk).
		Assess("ClientIPAffinityPinsOneBackend", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			client := w.AnyClient()
			spread := func(name string, affinity corev1.ServiceAffinity) map[string]int {
				t.Helper()
				svc := kube.Service(w.NS, name, "", map[string]string{"app": "server"}, kube.ServicePort("http", 80, world.ServerPort))
				svc.Spec.SessionAffinity = affinity
				created := world.CreateService(ctx, t, w.C, svc)
				url := fmt.Sprintf("http://%s/hostname", created.Spec.ClusterIP)
				// A pinned backend that leaves (unready for a moment) moves
				// the pin, as it should: only a steady window is judged.
				r := world.SteadyWindow(ctx, t, chk, w.C, w.NS, name, len(w.Servers), func() probe.HTTPResult {
					if _, err := world.WaitHTTP(ctx, client, url, world.ReachBound); err != nil {
						verdict.Fatal(t, err)
					}
					r, err := world.Answered(ctx, client, url, affinityRequests) // timeouts say nothing of affinity
					if err != nil {
						verdict.Fatalf(t, "probe failure (not the cluster's answer): %v", err)
					}
					return r
				})
				world.Evidence(chk, client, fmt.Sprintf("%s (sessionAffinity %s)", url, affinity), world.HTTPSummary(r))
				if r.OK != affinityRequests {
					verdict.Fatalf(t, "%s: %d/%d requests answered, want all: %s", name, r.OK, affinityRequests, world.HTTPSummary(r))
				}
				return r.BackendCounts
			}
			control := spread("ext04-spread", corev1.ServiceAffinityNone)
			if len(control) < 2 {
				verdict.Fatalf(t, "positive control failed: without affinity, %d requests reached only %v of %d endpoints, so one backend with affinity would prove nothing", affinityRequests, control, len(w.Servers))
			}
			pinned := spread("ext04-sticky", corev1.ServiceAffinityClientIP)
			chk.Backends(pinned)
			if len(pinned) != 1 {
				verdict.Errorf(t, "with ClientIP affinity, %d requests from one client reached %d backends %v, want exactly 1", affinityRequests, len(pinned), pinned)
				return ctx
			}
			chk.Confirm("with ClientIP affinity all %d requests reached one backend %s; without it the same client reached %d backends %s",
				affinityRequests, world.Counts(pinned), len(control), world.Counts(control))
			return ctx
		}).Feature()
}
