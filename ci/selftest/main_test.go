package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/netconform/netconform/pkg/kindcluster"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestGuardTakesOnlyTheSuitesClustersUnlessOptedIn(t *testing.T) {
	kept := &kindcluster.State{Name: "nc", Keep: true, Ready: true, Owner: kindcluster.Process{PID: 4242}}
	for _, c := range []struct {
		what              string
		exists, alive, in bool
		st                *kindcluster.State
		want              mode
		err               string
	}{
		{what: "no cluster yet: the healthy run makes it", want: suiteCluster},
		{what: "kept by an earlier run", exists: true, st: kept, want: suiteCluster},
		{what: "record of a run that is gone", exists: true, st: &kindcluster.State{Name: "nc"}, want: suiteCluster},
		{what: "in use by a live run", exists: true, st: kept, alive: true, err: "in use by another netconform run (pid 4242)"},
		{what: "in use, even when opted in", exists: true, st: kept, alive: true, in: true, err: "in use"},
		{what: "someone else's", exists: true, err: "--i-accept-breaking-this-cluster"},
		{what: "someone else's, opted in", exists: true, in: true, want: existingCluster},
	} {
		m, err := chooseTarget("nc", c.exists, c.st, c.alive, c.in)
		if c.err != "" {
			assert.ErrorContains(t, err, c.err, c.what)
			continue
		}
		assert.NilError(t, err, c.what)
		assert.Equal(t, m, c.want, c.what)
	}
}

func TestSelectFaultsRejectsATypoAtOnce(t *testing.T) {
	all, err := selectFaults("")
	assert.NilError(t, err)
	assert.Equal(t, len(all), len(faultNames()))
	some, err := selectFaults("coredns-scaled-to-0, kube-proxy-removed")
	assert.NilError(t, err)
	assert.DeepEqual(t, some, map[string]bool{"coredns-scaled-to-0": true, "kube-proxy-removed": true})
	_, err = selectFaults("coredns-scaled-to-zero")
	assert.ErrorContains(t, err, `no fault "coredns-scaled-to-zero"`)
}

// The suite's cluster is reached by name, kept; KUBECONFIG would turn the
// run into an existing-cluster run, so it goes unless opted in.
func TestChildEnv(t *testing.T) {
	t.Setenv("KUBECONFIG", "/home/me/.kube/config")
	t.Setenv("NETCONFORM_RESULTS", "/elsewhere.jsonl")
	env := strings.Join(childEnv(suiteCluster, "nc", ""), "\n")
	assert.Assert(t, !strings.Contains(env, "KUBECONFIG="))
	assert.Assert(t, !strings.Contains(env, "NETCONFORM_RESULTS="), "each run sets its own")
	assert.Assert(t, is.Contains(env, "NETCONFORM_KEEP_CLUSTER=1\nNETCONFORM_CLUSTER_NAME=nc"))
	env = strings.Join(childEnv(existingCluster, "kind", "/tmp/kind.kubeconfig"), "\n")
	assert.Assert(t, is.Contains(env, "KUBECONFIG=/tmp/kind.kubeconfig"))
}

func TestRelayProgressKeepsEverythingAndShowsProgress(t *testing.T) {
	in := "=== RUN   TestDNS\n[cluster] converged in 3s: nodes Ready\n--- PASS: TestDNS (1.00s)\n[area dns] 20 claims done in 1m\n"
	var log, term bytes.Buffer
	relayProgress(strings.NewReader(in), &log, &term, "  healthy ")
	assert.Equal(t, log.String(), in)
	assert.Equal(t, term.String(), "  healthy [cluster] converged in 3s: nodes Ready\n  healthy [area dns] 20 claims done in 1m\n")
}
