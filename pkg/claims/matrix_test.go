package claims

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

func matrixRuns() ([]CellRun, []map[string]Result) {
	hostgw := Cell{K8sVersion: "v1.36.3", CNI: "flannel-host-gw", ProxyMode: "iptables", IPFamily: "ipv4"}
	vxlan := Cell{K8sVersion: "v1.36.3", CNI: "flannel-vxlan", ProxyMode: "nftables", IPFamily: "ipv4"}
	old := Cell{K8sVersion: "v1.34.4", CNI: "flannel-vxlan", ProxyMode: "nftables", IPFamily: "ipv4"}
	runs := []CellRun{
		{Index: 1, Name: hostgw.Name(), Cell: hostgw, Seconds: 192},
		{Index: 2, Name: vxlan.Name(), Cell: vxlan, Seconds: 201, GoTestExit: 1, GuardRejected: 3},
		{Index: 3, Name: old.Name(), Cell: old, Seconds: 4, Error: "node image build failed: k8s.io/kubernetes v1.34.4: not served\nsecond line"},
	}
	results := []map[string]Result{
		{"SVC-04": {ID: "SVC-04", Verdict: Confirmed}, "EXT-08": {ID: "EXT-08", Verdict: NotApplicable, Reason: "single-stack IPv4 cluster"}},
		{"SVC-04": {ID: "SVC-04", Verdict: Failed, Reason: "the test failed: see its log"}, "EXT-08": {ID: "EXT-08", Verdict: NotApplicable, Reason: "single-stack IPv4 cluster"}},
		{},
	}
	return runs, results
}

func TestMatrixRowsAreClaimsColumnsAreCells(t *testing.T) {
	m := BuildMatrix(matrixRuns())
	assert.Equal(t, len(m.Rows), len(All()))
	assert.Equal(t, len(m.Cells), 3)
	row := func(id string) MatrixRow {
		for _, r := range m.Rows {
			if r.ID == id {
				return r
			}
		}
		t.Fatalf("no row %s", id)
		return MatrixRow{}
	}
	assert.Equal(t, row("SVC-04").Cells[1].Verdict, Failed)
	assert.Assert(t, row("SVC-04").Varies, "confirmed in one cell, failed in another")
	assert.Assert(t, !row("EXT-08").Varies, "a cell that could not run does not count as disagreement")
	assert.Equal(t, m.Cells[0].Counts[Confirmed], 1)
	assert.Equal(t, len(m.Cells[2].Counts), 0)

	p := m.Problems()
	assert.Equal(t, len(p), 2, "%v", p)
	assert.Assert(t, strings.Contains(p[0], "flannel-vxlan · nftables · ipv4: failed SVC-04"), p[0])
	assert.Equal(t, p[1], "v1.34.4 · flannel-vxlan · nftables · ipv4 could not run: node image build failed: k8s.io/kubernetes v1.34.4: not served ⏎ second line")
}

func TestMatrixRendering(t *testing.T) {
	m := BuildMatrix(matrixRuns())
	var md, html, js bytes.Buffer
	assert.NilError(t, m.Markdown(&md))
	for _, want := range []string{
		"3 cells (2 ran, 1 could not run)",
		fmt.Sprintf("1. v1.36.3 · flannel-host-gw · iptables · ipv4: 3m12s, go test exit 0, egress guard 0 packets; %d claims: 1 confirmed, 1 not applicable, %d not run", len(All()), len(All())-2),
		"## Cells that could not run\n\n### v1.34.4 · flannel-vxlan · nftables · ipv4\n\n```\nnode image build failed",
		"| ID | Claim | Δ | v1.36.3<br>flannel-host-gw<br>iptables<br>ipv4 |",
		"| Δ | confirmed | FAILED | — |",
	} {
		assert.Assert(t, strings.Contains(md.String(), want), "missing %q in\n%s", want, md.String())
	}
	assert.NilError(t, m.HTML(&html))
	for _, want := range []string{
		`<td class="v failed" title="the test failed: see its log">FAILED</td>`,
		`<td class="v no-cell" title="">—</td>`,
		`<tr class="varies"><td class="id">SVC-04</td>`,
		`<a href="v1.36.3-flannel-vxlan-nftables-ipv4/report/claims.html">`,
		"second line</pre>",
	} {
		assert.Assert(t, strings.Contains(html.String(), want), "missing %q in html", want)
	}
	assert.NilError(t, m.JSON(&js))
	var back Matrix
	assert.NilError(t, json.Unmarshal(js.Bytes(), &back))
	assert.Equal(t, back.Cells[1].Cell.CNI, "flannel-vxlan")
}

func TestLoadMatrixReadsCellDirectoriesInRunOrder(t *testing.T) {
	dir := t.TempDir()
	runs, results := matrixRuns()
	for i := len(runs) - 1; i >= 0; i-- { // written out of order
		cellDir := filepath.Join(dir, runs[i].Name)
		assert.NilError(t, os.MkdirAll(cellDir, 0o755))
		raw, _ := json.Marshal(runs[i])
		assert.NilError(t, os.WriteFile(filepath.Join(cellDir, CellRunFile), raw, 0o644))
		var lines []byte
		for _, r := range results[i] {
			line, _ := json.Marshal(r)
			lines = append(append(lines, line...), '\n')
		}
		if len(lines) > 0 {
			assert.NilError(t, os.WriteFile(filepath.Join(cellDir, "results.jsonl"), lines, 0o644))
		}
	}
	m, err := LoadMatrix(dir)
	assert.NilError(t, err)
	assert.DeepEqual(t, []string{m.Cells[0].Name, m.Cells[1].Name, m.Cells[2].Name}, []string{runs[0].Name, runs[1].Name, runs[2].Name})
	assert.DeepEqual(t, m, BuildMatrix(runs, results))
	assert.NilError(t, m.WriteFiles(dir))
	for _, f := range []string{"matrix.md", "matrix.json", "matrix.html"} {
		_, err := os.Stat(filepath.Join(dir, f))
		assert.NilError(t, err)
	}
	_, err = LoadMatrix(t.TempDir())
	assert.ErrorContains(t, err, "no cells")
}

func TestCellFileAndName(t *testing.T) {
	assert.Equal(t, CellFile("/a/results.jsonl"), "/a/results.cell.json")
	c := Cell{K8sVersion: "1.36.3", CNI: "/home/me/calico.yaml", ProxyMode: "nftables", IPFamily: "dual"}
	assert.Equal(t, c.Name(), "v1.36.3-calico-nftables-dual")
	path := filepath.Join(t.TempDir(), "results.cell.json")
	none, err := ReadCell(path)
	assert.NilError(t, err)
	assert.Assert(t, none == nil)
	assert.NilError(t, WriteCell(path, c))
	got, err := ReadCell(path)
	assert.NilError(t, err)
	assert.Equal(t, *got, c)
}
