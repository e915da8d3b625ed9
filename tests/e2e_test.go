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
// Disruptive claims (POD-11, SVC-24) run with the others, on a node of
// their own (harness.BeginDisruption).

func TestPod(t *testing.T)      { area(t, pod.Run) }
func TestSvc(t *testing.T)      { area(t, svc.Run) }
func TestEnv(t *testing.T)      { area(t, envvars.Run) }
func TestDNS(t *testing.T)      { area(t, dns.Run) }
func TestNodePort(t *testing.T) { area(t, nodeport.Run) }
func TestJob(t *testing.T)      { area(t, job.Run) }
func TestExt(t *testing.T)      { area(t, ext.Run) }

func area(t *testing.T, run func(*testing.T, env.Environment)) {
	t.Parallel()
	run(t, testenv)
}
