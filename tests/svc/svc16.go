//go:build e2e

package svc

import (
	"context"
	"fmt"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// SVC-16: non-HTTP TCP services (a database on 3306) are reached through the
// service name and port.
// MUST: a TCP (non-HTTP) echo on 3306 answers through svc.ns.svc.<zone>:3306.
// The Service's one backend is the world's server on the first node and
// the client is on the last (World.Across): over every backend, each try
// went to the proxy's pick, and the self-test's same-node fault failed the
// claim in one run and not in the one before.
func svc16(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-16", &chk).
		Assess("TCPEchoAnswersThroughTheServiceFQDN", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			backend, clientNode := w.Across()
			server := w.ServerOn(backend)
			world.CreateService(ctx, t, w.C, kube.Service(w.NS, "mysqlauth-service", "", world.Selects(server),
				kube.ServicePort("mysql", 3306, world.EchoPort)))
			client := w.Client(clientNode)
			addr := fmt.Sprintf("mysqlauth-service.%s.svc.%s:3306", w.NS, world.ClusterDomain(ctx, w.C))
			var last probe.DialResult
			err := kube.WaitFor(ctx, "tcp "+addr+" echoing", world.ReachBound, func(ctx context.Context) (kube.Observation, error) {
				r, err := client.Dial(ctx, "tcp", addr, 3)
				last = r
				return kube.Observation{Done: err == nil && r.OK == r.Tries, Seen: world.DialSummary(r)}, err
			})
			if err != nil {
				verdict.Fatal(t, err)
			}
			world.Evidence(chk, client, "tcp "+addr+" (only "+server.Pod+" on "+server.Node+")", world.DialSummary(last)+fmt.Sprintf(" replies %q", last.Replies))
			chk.Confirm("a TCP (non-HTTP) echo answered through %s: %d/%d connections echoed %q", addr, last.OK, last.Tries, last.Replies)
			return ctx
		}).Feature()
}
