//go:build e2e

package world

import (
	"context"
	"strings"
	"testing"

	"github.com/netconform/netconform/pkg/claims"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// Claim starts the feature that checks one catalogue claim: named by its ID
// (so `-run TestDNS/DNS-07` selects it), labelled area, claim and scope (so
// `--labels area=dns` does), with its verdict recorded in *chk from the
// first step on. Assessments add evidence through *chk.
func Claim(id string, chk **claims.Check) *features.FeatureBuilder {
	c, _ := claims.Lookup(id) // an unknown ID fails in claims.Start
	return features.New(id).
		WithLabel("area", strings.ToLower(c.Area)).WithLabel("claim", id).WithLabel("scope", c.Scope).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			*chk = claims.Start(t, id)
			return ctx
		})
}
