//go:build e2e

package dns

import (
	"context"
	"slices"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// DNS-02: short names work because of the search path.
// MUST: resolv.conf search starts with `<ns>.svc.<zone> svc.<zone> <zone>`
// (the node's own search domains may follow), with ndots:5, and the bare
// name web is answered with its ClusterIP as web.<ns>.svc.<zone>, the
// first search domain's name (the search path at work; within
// recordBound): confirmed.
func dns02(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-02", &chk).
		Setup(f.setup).
		Assess("SearchListAndNdotsFollowTheNamespace", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			conf := readResolvConf(ctx, t, f.local)
			want := []string{f.ns + ".svc." + f.zone, "svc." + f.zone, f.zone}
			chk.Evidence("%s search %v options %v (zone %s)", f.local, conf.search, conf.options, f.zone)
			ok := true
			if len(conf.search) < 3 || !slices.Equal(conf.search[:3], want) {
				verdict.Errorf(t, "search = %v, want it to start with %v", conf.search, want)
				ok = false
			}
			if !slices.Contains(conf.options, "ndots:5") {
				verdict.Errorf(t, "options = %v, want ndots:5", conf.options)
				ok = false
			}
			r, answered := resolves(ctx, t, chk, f.local, "web", "A", f.recordBound(), is(f.web.Spec.ClusterIP))
			if expanded := "web." + want[0] + "."; answered && r.AnsweredFQDN != expanded {
				verdict.Errorf(t, "the bare name web was answered as %s, want %s (the first search domain)", r.AnsweredFQDN, expanded)
				ok = false
			}
			if ok && answered {
				chk.Confirm("%s's search list starts %v, with ndots:5, and the bare name web was answered as %s with the ClusterIP %s", f.local, want, r.AnsweredFQDN, f.web.Spec.ClusterIP)
			}
			return ctx
		}).Feature()
}
