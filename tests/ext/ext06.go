//go:build e2e

package ext

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// EXT-06: hairpin: a pod reaches itself through its own Service.
// MUST: the only backend of a Service, calling the Service by its
// ClusterIP and by its name, is answered by itself within
// world.ReachBound (once the EndpointSlice lists it, waited for through the
// API): confirmed; no answer or another answerer: failed.
func ext06() features.Feature {
	var chk *verdict.Check
	return verdict.Claim("EXT-06", &chk).
		Assess("PodReachesItselfThroughItsService", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-ext06")
			labels := map[string]string{"app": "hairpin"}
			pods := world.Deploy(ctx, t, c, ns, "hairpin", 1, labels, world.Server([]int32{world.ServerPort}))
			svc := world.CreateService(ctx, t, c, kube.Service(ns, "hairpin", "", labels, kube.ServicePort("http", 80, world.ServerPort)))
			if err := world.WaitEndpoints(ctx, c, ns, svc.Name, 1); err != nil {
				verdict.Fatal(t, err)
			}
			self := kube.Prober{C: c, NS: ns, Pod: pods[0].Name, Container: "server", IP: pods[0].Status.PodIP}
			var seen []string
			for _, url := range []string{fmt.Sprintf("http://%s/hostname", svc.Spec.ClusterIP), "http://hairpin/hostname"} {
				r, err := world.WaitHTTP(ctx, self, url, world.ReachBound)
				world.Evidence(chk, self, url+" (its own Service)", world.HTTPSummary(r))
				switch {
				case err != nil:
					verdict.Error(t, err)
				case r.BackendCounts[pods[0].Name] != 1:
					verdict.Errorf(t, "%s answered by %v, want %s itself", url, r.BackendCounts, pods[0].Name)
				default:
					seen = append(seen, url)
				}
			}
			if !t.Failed() {
				chk.Confirm("pod %s, the only backend of %s, was answered by itself through %s", pods[0].Name, svc.Name, strings.Join(seen, " and "))
			}
			return ctx
		}).Feature()
}
