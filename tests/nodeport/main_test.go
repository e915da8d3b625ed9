//go:build e2e

// Package nodeport checks the NodePort claims (NP-*) of CLAIMS.md.
package nodeport

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
