//go:build e2e

package job

import "testing"

// TestJob runs the JOB claims; `go test -run 'TestJob/JOB-02'` runs one.
func TestJob(t *testing.T) {
	testenv.TestInParallel(t, job01(), job02())
}
