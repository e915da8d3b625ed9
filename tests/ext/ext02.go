//go:build e2e

package ext

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

// EXT-02: SRV records for named ports: _http._tcp.svc.ns.svc.<zone>.
// MUST: _http._tcp.<svc>.<ns>.svc.<zone> answers one SRV record naming
// port 80 and the Service's FQDN, within world.ReachBound: confirmed;
// another answer: failed.
func ext02(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("EXT-02", &chk).
		Assess("NamedPortHasAnSRVRecord", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			world.CreateService(ctx, t, w.C, kube.Service(w.NS, "ext02-srv", "", map[string]string{"app": "server"}, kube.ServicePort("http", 80, world.ServerPort)))
			fqdn := fmt.Sprintf("ext02-srv.%s.svc.%s", w.NS, world.ClusterDomain(ctx, w.C))
			// probe prints SRV answers as "priority weight port target".
			want := fmt.Sprintf("0 100 80 %s.", fqdn)
			expect(ctx, t, chk, w.AnyClient(), "_http._tcp."+fqdn, "SRV", want)
			if !t.Failed() {
				chk.Confirm("SRV _http._tcp.%s = %q (port 80 of the port named http)", fqdn, want)
			}
			return ctx
		}).Feature()
}
