package faults

import (
	"regexp"
	"testing"

	"github.com/netconform/netconform/pkg/claims"
	"gotest.tools/v3/assert"
)

// The fault list is the source of truth for which mechanisms the
// self-test can break: every mechanism of the vocabulary has a fault,
// waits for the dataplanes issue, or is listed as unbreakable with why.
func TestEveryMechanismHasAFaultOrAReason(t *testing.T) {
	broken := map[claims.Mechanism][]string{}
	for _, f := range Catalogue(nil) {
		for _, m := range f.Breaks() {
			broken[m] = append(broken[m], f.Name())
		}
	}
	for _, m := range claims.Mechanisms {
		why, unbreakable := Unbreakable[m]
		switch {
		case len(broken[m]) > 0:
			assert.Assert(t, !unbreakable, "%s is broken by %v and also listed in Unbreakable", m, broken[m])
		case claims.AwaitingDataplanes(m):
		case unbreakable:
			assert.Assert(t, why != "", "%s is unbreakable without a reason", m)
		default:
			t.Errorf("no fault in pkg/faults breaks %s: add one to Catalogue, or say in Unbreakable why none can", m)
		}
	}
}

// A fault breaks mechanisms of the vocabulary that some claim rests on
// (else it could change nothing), under a unique, stable name.
func TestFaultsAreNamedAndBreakWhatClaimsRestOn(t *testing.T) {
	name := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	seen := map[string]bool{}
	for _, f := range Catalogue(nil) {
		assert.Assert(t, name.MatchString(f.Name()), "fault name %q is not kebab-case", f.Name())
		assert.Assert(t, !seen[f.Name()], "two faults named %s", f.Name())
		seen[f.Name()] = true
		assert.Assert(t, len(f.Breaks()) > 0, "%s breaks nothing", f.Name())
		for _, m := range f.Breaks() {
			assert.Assert(t, len(claims.RestingOn(m)) > 0, "%s breaks %s, on which no claim rests", f.Name(), m)
		}
	}
}
