//go:build e2e

package pod

import (
	"testing"

	"github.com/netconform/netconform/tests/internal/world"
)

// TestPod runs every POD claim; each is a feature named by its ID, so
// `go test -run 'TestPod/POD-04'` runs one.
func TestPod(t *testing.T) {
	w := world.New(t)
	testenv.TestInParallel(t,
		pod01(w), pod02(w), pod03(w), pod04(w), pod05(w), pod06(), pod07(w), pod08(w), pod09(w),
	)
}
