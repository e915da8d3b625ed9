//go:build e2e

package pod

import (
	"testing"

	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/env"
)

// Run checks every POD claim, all at once; TestPod in tests/e2e_test.go calls it,
// and `go test ./tests/... -tags e2e -run 'TestPod/POD-04'` runs one.
// POD-11 restarts the node reserved for disruptive claims, which no other
// claim uses, so it runs with them.
func Run(t *testing.T, testenv env.Environment) {
	w := world.New(t)
	testenv.TestInParallel(t,
		pod01(w), pod02(w), pod03(w), pod04(w), pod05(w), pod06(), pod07(w), pod08(w), pod09(w), pod10(w), pod11(w), pod12(),
	)
}
