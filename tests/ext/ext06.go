//go:build e2e

package ext

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

// EXT-06: hairpin: a pod reaches itself through its own Service.
// MUST: the only backend of a Service, calling the Service, is answered by itself.
func ext06() features.Feature {
	var chk *verdict.Check
	return verdict.Claim("EXT-06", &chk).
		Assess("PodReachesItselfThroughItsService", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-ext06")
			labels := map[string]string{"app": "hairpin"}
			pods := world.Deploy(ctx, t, c, ns, "hairpin", 1, labels, world.Server([]int32{world.ServerPort}))
			svc := world.CreateService(ctx, t, c, kube.Service(ns, "hairpin", "", labels, kube.ServicePort("http", 80, world.ServerPort)))
			self := kube.Prober{C: c, NS: ns, Pod: pods[0].Name, Container: "server", IP: pods[0].Status.PodIP}
			for _, url := range []string{fmt.Sprintf("http://%s/hostname", svc.Spec.ClusterIP), "http://hairpin/hostname"} {
				r, err := world.WaitHTTP(ctx, self, url, time.Minute)
				world.Evidence(chk, self, url+" (its own Service)", world.HTTPSummary(r))
				if err != nil {
					verdict.Error(t, err)
				} else if r.BackendCounts[pods[0].Name] != 1 {
					verdict.Errorf(t, "answered by %v, want %s itself", r.BackendCounts, pods[0].Name)
				}
			}
			return ctx
		}).Feature()
}
