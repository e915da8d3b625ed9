//go:build e2e

// Package ext checks the claims beyond the documents (EXT-*) of CLAIMS.md.
package ext

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
