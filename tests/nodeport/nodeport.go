//go:build e2e

package nodeport

import (
	"testing"

	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/env"
)

// Run checks every NP claim, all at once; TestNodePort in tests/e2e_test.go calls it,
// and `go test ./tests/ -tags e2e -run 'TestNodePort/NP-02'` runs one.
func Run(t *testing.T, testenv env.Environment) {
	f := newFixture(world.New(t))
	testenv.TestInParallel(t,
		np01(f), np02(), np03(f), np04(f),
	)
}
