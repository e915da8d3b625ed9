//go:build e2e

package ext

import "testing"

// TestExt runs every EXT claim; `go test -run 'TestExt/EXT-04'` runs one.
func TestExt(t *testing.T) {
	testenv.TestInParallel(t, ext01(), ext02(), ext03(), ext04(), ext05(), ext06(), ext07(), ext08())
}
