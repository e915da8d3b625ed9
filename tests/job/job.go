//go:build e2e

package job

import (
	"testing"

	"sigs.k8s.io/e2e-framework/pkg/env"
)

// Run checks every JOB claim, all at once; TestJob in tests/e2e_test.go calls it,
// and `go test ./tests/... -tags e2e -run 'TestJob/JOB-02'` runs one.
func Run(t *testing.T, testenv env.Environment) {
	testenv.TestInParallel(t,
		job01(), job02(), job03(),
	)
}
