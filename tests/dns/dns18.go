//go:build e2e

package dns

import (
	"context"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// DNS-18: document 000 says of `.cluster.local`: "This is the root of our
// cluster DNS, every resource must be accessed from root."
// MUST: names without the root resolve and answer: from the Service's
// namespace `web`, `web.<ns>` and `web.<ns>.svc` resolve to the ClusterIP
// and http://<name> answers; from another namespace `web.<ns>` and
// `web.<ns>.svc` do. The document is refuted when they all do; a name that
// does not is a cluster failing its search path (DNS-02), not one where the
// document holds: failed.
func dns18(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-18", &chk).
		Setup(f.setup).
		Assess("NamesWithoutTheRootResolveAndAnswer", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			short := []string{"web", "web." + f.ns, "web." + f.ns + ".svc"}
			ip := f.web.Spec.ClusterIP
			for _, p := range []kube.Prober{f.local, f.remote} {
				for _, name := range short {
					if p == f.remote && name == "web" {
						continue // the bare name is the namespace's own (DNS-08)
					}
					_, resolved := resolves(ctx, t, chk, p, name, "A", f.recordBound(), is(ip))
					if !resolved {
						return ctx // failed, with the name's answer: the others need not wait their bounds too
					}
					if _, answered := answers(ctx, t, chk, p, "http://"+name+"/hostname", world.ReachBound); !answered {
						return ctx
					}
				}
			}
			chk.Refute("without the root %s: %v resolve to the ClusterIP %s and answer over HTTP from %s, and the last two from %s", f.zone, short, ip, f.ns, f.otherNS)
			return ctx
		}).Feature()
}
