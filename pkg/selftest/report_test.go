package selftest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/claims"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func sampleReport() Report {
	healthy := run("DNS-01", "confirmed", "DNS-02", "confirmed", "ENV-01", "confirmed")
	return Report{
		Cluster: "netconform", Started: time.Date(2026, 12, 2, 14, 0, 0, 0, time.UTC), Seconds: 754,
		Healthy: map[claims.Verdict]int{claims.Confirmed: 3},
		Faults: []Detection{
			Compare("coredns-scaled-to-0", []claims.Mechanism{claims.ClusterDNS}, healthy,
				run("DNS-01", "failed", "DNS-02", "confirmed", "ENV-01", "failed"), facts),
			Compare("service-links-off", []claims.Mechanism{claims.ServiceEnv}, healthy,
				run("DNS-01", "confirmed", "DNS-02", "confirmed", "ENV-01", "failed"), facts),
			{Fault: "kube-proxy-removed", Breaks: []claims.Mechanism{claims.ClusterIP, claims.NodePort}, Error: "apply: no kube-proxy to remove"},
		},
		Steps: []Step{{Name: "healthy", Seconds: 301}, {Name: "coredns-scaled-to-0", Seconds: 320, Note: "in effect after 2 s"}},
	}
}

func TestReportProblemsAndScore(t *testing.T) {
	r := sampleReport()
	detected, expected := r.KillScore()
	assert.Equal(t, [2]int{detected, expected}, [2]int{2, 3})
	assert.DeepEqual(t, r.Problems(), []string{
		"coredns-scaled-to-0: missed by DNS-02 (confirmed, then confirmed: because confirmed)",
		"coredns-scaled-to-0: ENV-01 changed (confirmed to failed) but rests on nothing the fault breaks: because failed",
		"kube-proxy-removed: apply: no kube-proxy to remove",
	})

	r.Again = []Change{{ID: "DNS-01", From: claims.Confirmed, To: claims.Failed, Reason: "SERVFAIL\nmore"}}
	r.HealthyFailed = []string{"POD-03"}
	p := r.Problems()
	assert.Equal(t, p[0], "healthy run: POD-03 failed, so no fault can show that it detects anything")
	assert.Equal(t, p[len(p)-1], "healthy again: DNS-01 is failed, was confirmed: SERVFAIL")
}

func TestReportMarkdownHasTheTable(t *testing.T) {
	var b bytes.Buffer
	assert.NilError(t, sampleReport().Markdown(&b))
	md := b.String()
	assert.Assert(t, is.Contains(md, "Kill score **2/3 (66%)**. Healthy run: 3 confirmed, 0 refuted, 0 failed, 0 not applicable, 0 not run."))
	assert.Assert(t, is.Contains(md, "| coredns-scaled-to-0 | cluster-dns | DNS-01, DNS-02 | DNS-01 failed | DNS-02 confirmed | ENV-01 failed | 1/2 (50%) |\n"))
	assert.Assert(t, is.Contains(md, "| service-links-off | service-env | ENV-01 | ENV-01 failed | — | — | 1/1 (100%) |\n"))
	assert.Assert(t, is.Contains(md, "| kube-proxy-removed | clusterip, nodeport | — | — | — | — | 0/0 |\n"))
	assert.Assert(t, is.Contains(md, "- ENV-01: confirmed → failed: because failed\n"))
	assert.Assert(t, is.Contains(md, "Every verdict as in the first healthy run."))
	assert.Assert(t, is.Contains(md, "| coredns-scaled-to-0 | 320 | in effect after 2 s |"))
}

func TestReportFilesRoundTrip(t *testing.T) {
	dir := t.TempDir()
	r := sampleReport()
	assert.NilError(t, r.WriteFiles(dir))
	raw, err := os.ReadFile(filepath.Join(dir, "selftest.json"))
	assert.NilError(t, err)
	var back Report
	assert.NilError(t, json.Unmarshal(raw, &back))
	assert.DeepEqual(t, back.Faults[0].Missed, r.Faults[0].Missed)
	assert.Equal(t, back.Faults[2].Error, r.Faults[2].Error)
	md, err := os.ReadFile(filepath.Join(dir, "selftest.md"))
	assert.NilError(t, err)
	assert.Assert(t, strings.HasPrefix(string(md), "# Self-test on netconform\n"))
}
