//go:build e2e

// Package dns checks the service discovery claims (DNS-*) of CLAIMS.md.
package dns

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
