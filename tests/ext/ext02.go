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
// MUST: the SRV record names the port number and the service's FQDN.
func ext02(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("EXT-02", &chk).
		Assess("NamedPortHasAnSRVRecord", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			world.CreateService(ctx, t, w.C, kube.Service(w.NS, "srv", "", map[string]string{"app": "server"}, kube.ServicePort("http", 80, world.ServerPort)))
			fqdn := fmt.Sprintf("srv.%s.svc.%s", w.NS, world.ClusterDomain(ctx, w.C))
			// probe prints SRV answers as "priority weight port target".
			expect(ctx, t, chk, w.AnyClient(), "_http._tcp."+fqdn, "SRV", fmt.Sprintf("0 100 80 %s.", fqdn))
			return ctx
		}).Feature()
}
