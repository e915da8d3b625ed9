//go:build e2e

package dns

import (
	"context"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// DNS-09: `http://svc` uses port 80; `http://svc:xxxx` reaches another port.
// MUST: with the Service exposing 80 and 8080, both http://web and
// http://web:8080 answer within world.ReachBound (confirmed).
func dns09(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-09", &chk).
		Setup(f.setup).
		Assess("DefaultPort80AndExplicitPortBothAnswer", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			var answered []string
			for _, url := range []string{"http://web/hostname", "http://web:8080/hostname"} {
				if r, ok := answers(ctx, t, chk, f.local, url, world.ReachBound); ok {
					answered = append(answered, url+" by "+r.Body)
				}
			}
			if len(answered) == 2 {
				chk.Confirm("from %s, %s and %s answered", f.local, answered[0], answered[1])
			}
			return ctx
		}).Feature()
}
