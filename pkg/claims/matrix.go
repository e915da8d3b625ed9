package claims

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// CellRun is one cell of a matrix run, as the runner records it in
// <matrix>/<cell>/run.json next to the cell's results.jsonl.
type CellRun struct {
	Index         int     `json:"index"` // order of the run, from 1
	Name          string  `json:"name"`  // directory name, Cell.Name()
	Cell          Cell    `json:"cell"`
	Seconds       float64 `json:"seconds"` // wall time: image, cluster, suite, delete
	GoTestExit    int     `json:"goTestExit"`
	GuardRejected int     `json:"guardRejected"`   // packets the egress guard rejected during the cell
	Error         string  `json:"error,omitempty"` // why the cell could not run (no verdicts)
}

// CellRunFile is the name of a cell's run record.
const CellRunFile = "run.json"

// MatrixColumn is a cell of the matrix with its verdict counts.
type MatrixColumn struct {
	CellRun
	Counts map[Verdict]int `json:"counts"`
}

// Ran reports whether the cell produced verdicts.
func (c MatrixColumn) Ran() bool { return c.Error == "" }

// MatrixVerdict is one claim in one cell; the evidence is in the cell's own report.
type MatrixVerdict struct {
	Verdict Verdict `json:"verdict"`
	Reason  string  `json:"reason,omitempty"`
}

// MatrixRow is one claim across the cells, in column order.
type MatrixRow struct {
	Claim
	Cells  []MatrixVerdict `json:"cells"`
	Varies bool            `json:"varies"` // the cells that ran disagree
}

// Matrix is the claims × cells table of a matrix run.
type Matrix struct {
	Cells []MatrixColumn `json:"cells"`
	Rows  []MatrixRow    `json:"claims"`
}

// BuildMatrix joins the catalogue with each cell's results (same order as runs).
func BuildMatrix(runs []CellRun, results []map[string]Result) Matrix {
	var m Matrix
	reports := make([]Report, len(runs))
	for i, run := range runs {
		reports[i] = Build(results[i])
		col := MatrixColumn{CellRun: run, Counts: map[Verdict]int{}}
		if col.Ran() {
			col.Counts = reports[i].Counts
		}
		m.Cells = append(m.Cells, col)
	}
	for j, c := range All() {
		row := MatrixRow{Claim: c}
		seen := map[Verdict]bool{}
		for i, col := range m.Cells {
			r := reports[i].Rows[j].Result
			row.Cells = append(row.Cells, MatrixVerdict{Verdict: r.Verdict, Reason: r.Reason})
			if col.Ran() {
				seen[r.Verdict] = true
			}
		}
		row.Varies = len(seen) > 1
		m.Rows = append(m.Rows, row)
	}
	return m
}

// LoadMatrix reads every cell directory of a matrix run (run.json and results.jsonl).
func LoadMatrix(dir string) (Matrix, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*", CellRunFile))
	if err != nil {
		return Matrix{}, err
	}
	var runs []CellRun
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			return Matrix{}, err
		}
		var run CellRun
		if err := json.Unmarshal(raw, &run); err != nil {
			return Matrix{}, fmt.Errorf("parse %s: %w", p, err)
		}
		runs = append(runs, run)
	}
	if len(runs) == 0 {
		return Matrix{}, fmt.Errorf("no cells in %s (no */%s)", dir, CellRunFile)
	}
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].Index < runs[j].Index })
	results := make([]map[string]Result, len(runs))
	for i, run := range runs {
		results[i] = map[string]Result{}
		f, err := os.Open(filepath.Join(dir, run.Name, "results.jsonl"))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return Matrix{}, err
		}
		results[i], err = ReadResults(f)
		f.Close()
		if err != nil {
			return Matrix{}, fmt.Errorf("cell %s: %w", run.Name, err)
		}
	}
	return BuildMatrix(runs, results), nil
}

// Problems are what makes a matrix run fail: cells that could not run,
// claims that failed, go test runs that failed without a failed claim.
func (m Matrix) Problems() []string {
	var out []string
	for i, c := range m.Cells {
		if !c.Ran() {
			out = append(out, fmt.Sprintf("%s could not run: %s", c.Cell, oneLine(c.Error)))
			continue
		}
		var failed []string
		for _, row := range m.Rows {
			if row.Cells[i].Verdict == Failed {
				failed = append(failed, row.ID)
			}
		}
		switch {
		case len(failed) > 0:
			out = append(out, fmt.Sprintf("%s: failed %s", c.Cell, strings.Join(failed, ", ")))
		case c.GoTestExit != 0:
			out = append(out, fmt.Sprintf("%s: go test exit code %d without a failed claim (timeout? see its go-test.log)", c.Cell, c.GoTestExit))
		}
	}
	return out
}

// Summary is the whole run in one line.
func (m Matrix) Summary() string {
	ran := 0
	for _, c := range m.Cells {
		if c.Ran() {
			ran++
		}
	}
	return fmt.Sprintf("%d cells (%d ran, %d could not run), %d claims, %d problem(s)", len(m.Cells), ran, len(m.Cells)-ran, len(m.Rows), len(m.Problems()))
}

// Header is a cell's line: set-up, time, guard count and verdict counts.
func (c MatrixColumn) Header() string {
	took := (time.Duration(c.Seconds) * time.Second).String()
	if !c.Ran() {
		return fmt.Sprintf("%s: could not run (after %s)", c.Cell, took)
	}
	total := 0
	for _, n := range c.Counts {
		total += n
	}
	return fmt.Sprintf("%s: %s, go test exit %d, egress guard %d packets; %s", c.Cell, took, c.GoTestExit, c.GuardRejected, countsSummary(total, c.Counts))
}

// short is how a verdict reads in a table cell.
func short(v Verdict, ran bool) string {
	switch {
	case !ran:
		return "—"
	case v == NotApplicable:
		return "n/a"
	case v == Failed:
		return "FAILED"
	}
	return string(v)
}

// Markdown renders matrix.md.
func (m Matrix) Markdown(w io.Writer) error {
	fmt.Fprintf(w, "# netconform matrix report\n\n%s\n\n## Cells\n\n", m.Summary())
	for _, c := range m.Cells {
		details := ""
		if c.Ran() {
			details = fmt.Sprintf(" (details: `%s/report/claims.md`)", c.Name)
		}
		fmt.Fprintf(w, "%d. %s%s\n", c.Index, c.Header(), details)
	}
	if p := m.Problems(); len(p) > 0 {
		fmt.Fprintf(w, "\n## Problems\n\n")
		for _, line := range p {
			fmt.Fprintf(w, "- %s\n", mdCell(line))
		}
	}
	var notRun []MatrixColumn
	for _, c := range m.Cells {
		if !c.Ran() {
			notRun = append(notRun, c)
		}
	}
	if len(notRun) > 0 {
		fmt.Fprintf(w, "\n## Cells that could not run\n\n")
		for _, c := range notRun {
			fmt.Fprintf(w, "### %s\n\n```\n%s\n```\n\n", c.Cell, strings.TrimSpace(c.Error))
		}
	}
	fmt.Fprintf(w, "\n## Claims\n\nΔ: the cells that ran disagree.\n\n| ID | Claim | Δ |")
	for _, c := range m.Cells {
		fmt.Fprintf(w, " %s<br>%s<br>%s<br>%s |", c.Cell.K8sVersion, c.Cell.CNI, c.Cell.ProxyMode, c.Cell.IPFamily)
	}
	fmt.Fprintf(w, "\n|---|---|---|%s\n", strings.Repeat("---|", len(m.Cells)))
	for _, row := range m.Rows {
		delta := ""
		if row.Varies {
			delta = "Δ"
		}
		fmt.Fprintf(w, "| %s | %s | %s |", row.ID, mdCell(row.Claim.Claim), delta)
		for i, v := range row.Cells {
			fmt.Fprintf(w, " %s |", short(v.Verdict, m.Cells[i].Ran()))
		}
		fmt.Fprintln(w)
	}
	return nil
}

// JSON renders matrix.json.
func (m Matrix) JSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}

// WriteFiles writes matrix.md, matrix.json and matrix.html into dir.
func (m Matrix) WriteFiles(dir string) error {
	return WriteRendered(dir, map[string]func(io.Writer) error{
		"matrix.md": m.Markdown, "matrix.json": m.JSON, "matrix.html": m.HTML,
	})
}

// oneLine joins a multi-line error (e.g. a script's last output) for a list item.
func oneLine(s string) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, " ⏎ ")
}
