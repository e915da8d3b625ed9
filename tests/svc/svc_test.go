//go:build e2e

package svc

import (
	"testing"

	"github.com/netconform/netconform/tests/internal/world"
)

// TestSvc runs every SVC claim; `go test -run 'TestSvc/SVC-04'` runs one.
func TestSvc(t *testing.T) {
	w := world.New(t)
	testenv.TestInParallel(t,
		svc01(w), svc02(), svc03(), svc04(), svc05(w), svc06(), svc07(), svc08(w), svc09(w), svc10(w), svc11(),
		svc12(), svc13(), svc14(), svc15(), svc16(), svc17(), svc18(), svc19(w), svc20(), svc21(), svc22(),
	)
}
