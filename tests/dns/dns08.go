//go:build e2e

package dns

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// DNS-08: the bare name only works inside the service's namespace.
// MUST: from the Service's namespace `web` resolves to the ClusterIP. From
// another namespace's client, `web.<ns>` resolves to it (the positive
// control of that client), while each in-zone name its search list makes of
// `web` (`web.<other>.svc.<zone>.`, `web.svc.<zone>.`, `web.<zone>.`),
// asked as an absolute name, is NXDOMAIN in every look for negativeFor.
// Those are judged rather than the end of the search, because the node's
// own search domains follow them: names outside the cluster, whose answer
// (recorded) only must not be the Service's ClusterIP. Confirmed when all
// hold.
func dns08(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-08", &chk).
		Setup(f.setup).
		Assess("BareNameDoesNotResolveFromAnotherNamespace", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			ip := f.web.Spec.ClusterIP
			_, inside := resolves(ctx, t, chk, f.local, "web", "A", f.recordBound(), is(ip))
			if _, ok := resolves(ctx, t, chk, f.remote, "web."+f.ns, "A", f.recordBound(), is(ip)); !ok {
				verdict.Fatalf(t, "the positive control web.%s from %s did not resolve to %s, so no answer for the bare name would mean anything", f.ns, f.remote, ip)
			}
			// The three are asked at once: each polls for negativeFor.
			names := []string{"web." + f.otherNS + ".svc." + f.zone + ".", "web.svc." + f.zone + ".", "web." + f.zone + "."}
			type look struct {
				n   negative
				err error
			}
			looks := make([]look, len(names))
			var wg sync.WaitGroup
			for i, name := range names {
				wg.Go(func() { looks[i].n, looks[i].err = nxdomain(ctx, t, chk, f.remote, name, "A") })
			}
			wg.Wait()
			held := true
			for i, l := range looks {
				switch {
				case l.err != nil:
					verdict.Errorf(t, "%v", l.err)
					held = false
				case l.n.other != nil:
					verdict.Errorf(t, "from %s, %s (a name the bare web searches) answered %s, want NXDOMAIN", f.otherNS, names[i], dnsSummary(*l.n.other))
					held = false
				}
			}
			// The whole search, node domains included: recorded, and never
			// the Service.
			var r probe.DNSResult
			if _, err := converge(ctx, "web searched from "+f.remote.String(), 0, dnsLook(f.remote, "web", "A", nil, &r, func(probe.DNSResult) bool { return true })); err != nil {
				verdict.Errorf(t, "%v", err)
				held = false
			}
			for _, a := range r.Attempts {
				chk.Evidence("  search of web from %s: %s -> %s %v", f.otherNS, a.FQDN, a.RCode, a.Answers)
			}
			if slices.Contains(r.Answers, ip) {
				verdict.Errorf(t, "from %s the bare name web resolved to %s/web's ClusterIP %s (answered as %s)", f.otherNS, f.ns, ip, r.AnsweredFQDN)
				held = false
			}
			if inside && held {
				chk.Confirm("web resolves to %s in %s; from %s web.%s does, while every in-zone name the bare web searches there is NXDOMAIN (%s.svc.%s, svc.%s, %s)", ip, f.ns, f.otherNS, f.ns, f.otherNS, f.zone, f.zone, f.zone)
			}
			return ctx
		}).Feature()
}
