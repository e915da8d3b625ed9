//go:build e2e

package dns

import (
	"context"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// DNS-09: `http://svc` uses port 80; `http://svc:xxxx` reaches another port.
// MUST: both answer when the Service exposes 80 and 8080.
func dns09(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-09", &chk).
		Assess("DefaultPort80AndExplicitPortBothAnswer", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			for _, url := range []string{"http://web/hostname", "http://web:8080/hostname"} {
				r, err := world.WaitHTTP(ctx, f.local, url, time.Minute)
				world.Evidence(chk, f.local, url, world.HTTPSummary(r))
				if err != nil {
					verdict.Error(t, err)
				}
			}
			return ctx
		}).Feature()
}
