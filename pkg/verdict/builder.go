package verdict

import (
	"context"
	"strings"
	"testing"

	"github.com/netconform/netconform/pkg/claims"
	"github.com/netconform/netconform/pkg/kube"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// Builder is the feature that checks one catalogue claim. Its assessments
// are bracketed, so the verdict knows which ran and which decided.
type Builder struct {
	id       string
	chk      **Check
	fb       *features.FeatureBuilder
	declared []string
}

// Claim starts the feature of claim id: named by its ID (so `-run
// TestDNS/DNS-07` selects it), labelled area, claim and scope (so `--labels
// area=dns` does), its Check in *chk from the first step on.
func Claim(id string, chk **Check) *Builder {
	c, _ := claims.Lookup(id) // an unknown ID fails in start
	b := &Builder{id: id, chk: chk}
	b.fb = features.New(id).
		WithLabel("area", strings.ToLower(c.Area)).WithLabel("claim", id).WithLabel("scope", c.Scope).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			*chk = start(t, id, b.declared)
			return kube.WithClaim(ctx, id)
		})
	return b
}

// Setup adds a set-up step; a failure in it makes the claim "not run".
func (b *Builder) Setup(fn features.Func) *Builder {
	b.fb = b.fb.Setup(fn)
	return b
}

// Assess adds a check; it must decide (Confirm, Refute, NotApplicable or a
// failed assertion) or the claim is failed as a test defect.
func (b *Builder) Assess(name string, fn features.Func) *Builder {
	b.declared = append(b.declared, name)
	b.fb = b.fb.Assess(name, func(ctx context.Context, t *testing.T, cfg *envconf.Config) context.Context {
		ctx = kube.WithClaim(ctx, b.id)
		c := *b.chk
		checks.Store(t, c)
		c.beginStep(name)
		defer func() { c.endStep(t); checks.Delete(t) }()
		return fn(ctx, t, cfg)
	})
	return b
}

// Teardown adds a clean-up step.
func (b *Builder) Teardown(fn features.Func) *Builder {
	b.fb = b.fb.Teardown(fn)
	return b
}

// Feature is the finished feature, for testenv.TestInParallel.
func (b *Builder) Feature() features.Feature { return b.fb.Feature() }
