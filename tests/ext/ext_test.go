//go:build e2e

package ext

import (
	"testing"

	"github.com/netconform/netconform/tests/internal/world"
)

// TestExt runs every EXT claim; `go test -run 'TestExt/EXT-04'` runs one.
// SRV, UDP, affinity and ExternalName claims use the run's shared world of
// probe pods; the others make their own.
func TestExt(t *testing.T) {
	w := world.New(t)
	testenv.TestInParallel(t, ext01(w), ext02(w), ext03(w), ext04(w), ext05(), ext06(), ext07(w), ext08())
}
