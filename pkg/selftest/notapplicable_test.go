package selftest

import (
	"testing"

	"github.com/netconform/netconform/pkg/claims"
	"github.com/netconform/netconform/pkg/faults"
	"gotest.tools/v3/assert"
)

// Every allowed not-applicable detection names a fault of the catalogue
// and a claim that rests on what that fault breaks, and says in its facts
// when it is not applicable.
func TestNotApplicableAllowListIsConsistent(t *testing.T) {
	breaks := map[string][]claims.Mechanism{}
	for _, f := range faults.Catalogue(nil) {
		breaks[f.Name()] = f.Breaks()
	}
	for fault, ids := range notApplicableDetections {
		ms, ok := breaks[fault]
		assert.Assert(t, ok, "no fault named %s", fault)
		for _, id := range ids {
			f, ok := claims.FactsOf(id)
			assert.Assert(t, ok && f.NotApplicable != "", "%s declares no not-applicable set-up", id)
			rests := false
			for _, r := range f.Rests {
				for _, m := range ms {
					rests = rests || r == m
				}
			}
			assert.Assert(t, rests, "%s does not rest on what %s breaks (%v)", id, fault, ms)
		}
	}
}
