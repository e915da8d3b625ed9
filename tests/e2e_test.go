//go:build e2e

// Package tests is the suite's one test binary: every area's claims run in
// it, all at once, on one cluster prepared once (so `go test ./tests/...
// -tags e2e` compiles one binary and nothing while claims run). The claims
// themselves are in the area folders, one file per claim.
package tests

import (
	"os"
	"testing"

	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/tests/dns"
	"github.com/netconform/netconform/tests/envvars"
	"github.com/netconform/netconform/tests/ext"
	"github.com/netconform/netconform/tests/job"
	"github.com/netconform/netconform/tests/nodeport"
	"github.com/netconform/netconform/tests/pod"
	"github.com/netconform/netconform/tests/svc"
	"sigs.k8s.io/e2e-framework/pkg/env"
)

var testenv env.Environment

func TestMain(m *testing.M) {
	testenv = harness.New()
	os.Exit(testenv.Run(m))
}

// Each area is a top-level test, parallel to the others (harness.New lifts
// -parallel so that every area runs at once); `-run TestDNS` selects one.

func TestPod(t *testing.T)      { t.Parallel(); pod.Run(t, testenv) }
func TestSvc(t *testing.T)      { t.Parallel(); svc.Run(t, testenv) }
func TestEnv(t *testing.T)      { t.Parallel(); envvars.Run(t, testenv) }
func TestDNS(t *testing.T)      { t.Parallel(); dns.Run(t, testenv) }
func TestNodePort(t *testing.T) { t.Parallel(); nodeport.Run(t, testenv) }
func TestJob(t *testing.T)      { t.Parallel(); job.Run(t, testenv) }
func TestExt(t *testing.T)      { t.Parallel(); ext.Run(t, testenv) }
