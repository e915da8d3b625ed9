//go:build e2e

package svc

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// SVC-05: if targetPort is omitted, the port value is used.
// MUST: the stored Service has targetPort == port, and traffic to the
// service arrives on that port of the pod.
func svc05(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-05", &chk).
		Assess("OmittedTargetPortDefaultsToPort", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			svc := world.CreateService(ctx, t, w.C, kube.Service(w.NS, "svc05", "", map[string]string{"app": "server"},
				kube.ServicePort("http", world.ServerPort, 0)))
			sp := svc.Spec.Ports[0]
			chk.Evidence("service %s created with port %d and no targetPort: stored targetPort=%s", svc.Name, sp.Port, sp.TargetPort.String())
			if sp.TargetPort.IntValue() != int(sp.Port) {
				verdict.Errorf(t, "targetPort = %s, want %d (the port)", sp.TargetPort.String(), sp.Port)
			}
			client := w.Client(w.Nodes[0])
			url := fmt.Sprintf("http://%s:%d/info", svc.Spec.ClusterIP, sp.Port)
			r, err := world.WaitHTTP(ctx, client, url, time.Minute)
			if err != nil {
				verdict.Fatal(t, err)
			}
			var info probe.Info
			if err := json.Unmarshal([]byte(r.Body), &info); err != nil {
				verdict.Fatalf(t, "decode /info %q: %v", r.Body, err)
			}
			world.Evidence(chk, client, url, fmt.Sprintf("%s, backend %s received it on its port %d", world.HTTPSummary(r), info.Hostname, info.Port))
			if info.Port != world.ServerPort {
				verdict.Errorf(t, "the request arrived on pod port %d, want %d", info.Port, world.ServerPort)
			}
			if sp.TargetPort.IntValue() == int(sp.Port) && info.Port == world.ServerPort {
				chk.Confirm("targetPort omitted: stored targetPort %s = port %d, and the request arrived on pod port %d", sp.TargetPort.String(), sp.Port, info.Port)
			}
			return ctx
		}).Feature()
}
