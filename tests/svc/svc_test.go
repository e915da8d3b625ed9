//go:build e2e

package svc

import (
	"testing"

	"github.com/netconform/netconform/tests/internal/world"
)

// TestSvc runs every SVC claim; `go test -run 'TestSvc/SVC-04'` runs one.
// Read-only claims point Services at the run's shared world of probe pods;
// claims that change pods make their own namespaces and start at once.
func TestSvc(t *testing.T) {
	w := world.New(t)
	testenv.TestInParallel(t,
		svc01(w), svc02(), svc03(), svc04(w), svc05(w), svc06(w), svc07(w), svc08(w), svc09(w), svc10(w), svc11(w),
		svc12(w), svc13(w), svc14(), svc15(w), svc16(w), svc17(), svc18(w), svc19(w), svc20(), svc21(), svc22(),
	)
}
