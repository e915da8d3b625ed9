//go:build e2e

package dns

import (
	"context"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// DNS-07: document 001 says `svc.ns.cluster.local` resolves.
// MUST: the absolute name `web.<ns>.<zone>.`, asked of the cluster DNS
// (kube-dns's ClusterIP) with no search list, so that the node's own search
// domains at the end of a pod's list cannot change the verdict, is NXDOMAIN
// in every look for negativeFor. Beside it, the positive control from the
// same client to the same server in the same run: `web.<ns>.svc.<zone>.`
// resolves to the ClusterIP. NXDOMAIN refutes the document (the Kubernetes
// DNS schema has no such name); the ClusterIP confirms it (a cluster whose
// DNS adds the name, e.g. by a rewrite rule); any other answer fails.
func dns07(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-07", &chk).
		Setup(f.setup).
		Assess("ServiceNamespaceZoneWithoutSvcIsNXDOMAIN", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			server := []string{"--server", f.kubeDNSIP}
			control := "web." + f.ns + ".svc." + f.zone + "."
			if _, ok := resolves(ctx, t, chk, f.local, control, "A", f.recordBound(), is(f.web.Spec.ClusterIP), server...); !ok {
				verdict.Fatalf(t, "the positive control %s did not resolve to the ClusterIP %s, so no answer for the other name would mean anything", control, f.web.Spec.ClusterIP)
			}
			name := "web." + f.ns + "." + f.zone + "."
			n, err := nxdomain(ctx, t, chk, f.local, name, "A", server...)
			switch {
			case err != nil:
				verdict.Errorf(t, "%v", err)
			case n.other == nil:
				chk.Refute("%s asked of the cluster DNS %s: %s; beside it %s resolves to the ClusterIP %s", name, f.kubeDNSIP, n, control, f.web.Spec.ClusterIP)
			case only(n.other.Answers, f.web.Spec.ClusterIP):
				chk.Confirm("%s asked of the cluster DNS %s resolves to the ClusterIP %s, as document 001 says", name, f.kubeDNSIP, f.web.Spec.ClusterIP)
			default:
				verdict.Errorf(t, "%s asked of the cluster DNS %s: neither NXDOMAIN nor the ClusterIP %s: %s", name, f.kubeDNSIP, f.web.Spec.ClusterIP, dnsSummary(*n.other))
			}
			return ctx
		}).Feature()
}
