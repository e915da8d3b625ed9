//go:build e2e

package nodeport

import "testing"

// TestNodePort runs every NP claim; `go test -run 'TestNodePort/NP-02'` runs one.
func TestNodePort(t *testing.T) {
	f := newFixture(t)
	testenv.TestInParallel(t, np01(f), np02(), np03(f), np04(f))
}
