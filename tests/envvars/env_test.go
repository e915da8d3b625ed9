//go:build e2e

package envvars

import "testing"

// TestEnv runs every ENV claim; `go test -run 'TestEnv/ENV-05'` runs one.
func TestEnv(t *testing.T) {
	f := newFixture(t)
	testenv.TestInParallel(t,
		env01(f), env02(f), env03(f), env04(f), env05(f), env06(), env07(f), env08(f), env09(f),
	)
}
