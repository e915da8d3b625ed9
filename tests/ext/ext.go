//go:build e2e

package ext

import (
	"testing"

	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/env"
)

// Run checks every EXT claim, all at once; TestExt in tests/e2e_test.go calls it,
// and `go test ./tests/ -tags e2e -run 'TestExt/EXT-04'` runs one.
func Run(t *testing.T, testenv env.Environment) {
	w := world.New(t)
	testenv.TestInParallel(t,
		ext01(w), ext02(w), ext03(w), ext04(w), ext05(), ext06(), ext07(w), ext08(),
	)
}
