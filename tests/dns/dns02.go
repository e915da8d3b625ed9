//go:build e2e

package dns

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// DNS-02: short names work because of the search path.
// MUST: resolv.conf search is `<ns>.svc.<zone> svc.<zone> <zone>` with ndots:5.
func dns02(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-02", &chk).
		Assess("SearchListAndNdotsFollowTheNamespace", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			conf := readResolvConf(ctx, t, f.local)
			want := []string{f.ns + ".svc." + f.zone, "svc." + f.zone, f.zone}
			chk.Evidence("%s search %v options %v (zone %s)", f.local, conf.search, conf.options, f.zone)
			if len(conf.search) < 3 || !slices.Equal(conf.search[:3], want) {
				verdict.Errorf(t, "search = %v, want it to start with %v", conf.search, want)
			}
			if !slices.Contains(conf.options, "ndots:5") {
				verdict.Errorf(t, "options = %v, want ndots:5", conf.options)
			}
			return ctx
		}).Feature()
}

type resolvConf struct{ nameservers, search, options []string }

func readResolvConf(ctx context.Context, t *testing.T, p kube.Prober) resolvConf {
	t.Helper()
	raw, err := p.Cat(ctx, "/etc/resolv.conf")
	if err != nil {
		verdict.Fatal(t, err)
	}
	var rc resolvConf
	for _, line := range strings.Split(raw, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "nameserver":
			rc.nameservers = append(rc.nameservers, f[1])
		case "search":
			rc.search = f[1:]
		case "options":
			rc.options = append(rc.options, f[1:]...)
		}
	}
	return rc
}
