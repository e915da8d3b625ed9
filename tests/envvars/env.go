//go:build e2e

package envvars

import (
	"testing"

	"sigs.k8s.io/e2e-framework/pkg/env"
)

// Run checks every ENV claim, all at once; TestEnv in tests/e2e_test.go calls it,
// and `go test ./tests/ -tags e2e -run 'TestEnv/ENV-05'` runs one. The
// shared fixture is built by the first claim's set-up and removed when the
// area ends.
func Run(t *testing.T, testenv env.Environment) {
	f := newFixture()
	t.Cleanup(func() { f.release(t) })
	testenv.TestInParallel(t,
		env01(f), env02(f), env03(f), env04(f), env05(f), env06(), env07(f), env08(f), env09(f),
		env10(f), env11(f),
	)
}
