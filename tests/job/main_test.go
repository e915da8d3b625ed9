//go:build e2e

// Package job checks the client patterns of the documents (JOB-*) of CLAIMS.md.
package job

import (
	"os"
	"testing"

	"github.com/netconform/netconform/pkg/harness"
	"sigs.k8s.io/e2e-framework/pkg/env"
)

var testenv env.Environment

func TestMain(m *testing.M) {
	testenv = harness.New()
	os.Exit(testenv.Run(m))
}
