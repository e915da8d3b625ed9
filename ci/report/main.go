// Command report turns a run's verdicts (JSON lines written by the suite)
// into claims.md, claims.json and claims.html, and prints the summary; with
// -matrix, it rebuilds a matrix run's combined report from its cell
// directories. It exits 1 when a claim failed (or a matrix cell could not run).
//
//	go run ./ci/report -results _artifacts/results.jsonl -out _artifacts/report
//	go run ./ci/report -matrix _artifacts/matrix
package main

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/netconform/netconform/pkg/claims"
	"github.com/netconform/netconform/pkg/verdict"
)

func main() {
	results := flag.String("results", verdict.ResultsFile(), "verdicts of a run (JSON lines)")
	out := flag.String("out", "_artifacts/report", "directory for claims.md, claims.json, claims.html")
	matrix := flag.String("matrix", "", "a matrix run's directory: rebuild its matrix.{md,json,html}")
	flag.Parse()
	if *matrix != "" {
		matrixReport(*matrix)
		return
	}
	f, err := os.Open(*results)
	if err != nil {
		fmt.Fprintf(os.Stderr, "report: %v (run `make e2e` first)\n", err)
		os.Exit(2)
	}
	defer f.Close()
	res, err := claims.ReadResults(f)
	exitOn(err)
	rep := claims.Build(res)
	rep.Cell, err = claims.ReadCell(claims.CellFile(*results)) // absent for older runs: fine
	exitOn(err)
	exitOn(rep.WriteFiles(*out))
	cell := ""
	if rep.Cell != nil {
		cell = " on " + rep.Cell.String()
	}
	fmt.Printf("[report] %s%s -> %s/claims.{md,json,html}\n", rep.Summary(), cell, *out)
	printFailed(res)
	if rep.Failed() {
		os.Exit(1)
	}
}

func matrixReport(dir string) {
	m, err := claims.LoadMatrix(dir)
	exitOn(err)
	exitOn(m.WriteFiles(dir))
	fmt.Printf("[report] %s -> %s/matrix.{md,json,html}\n", m.Summary(), dir)
	for _, p := range m.Problems() {
		fmt.Printf("[report] problem: %s\n", p)
	}
	if len(m.Problems()) > 0 {
		os.Exit(1)
	}
}

// printFailed gives each failed claim's reason a line: the end of a CI log
// is often all that is shown of it, and there it says what failed and why.
func printFailed(res map[string]claims.Result) {
	ids := slices.Sorted(maps.Keys(res))
	for _, id := range ids {
		if r := res[id]; r.Verdict == claims.Failed {
			reason := strings.Join(strings.Fields(r.Reason), " ")
			if len(reason) > 600 {
				reason = reason[:600] + " …"
			}
			fmt.Printf("[report] failed %s: %s\n", id, reason)
		}
	}
}

func exitOn(err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "report: %v\n", err)
		os.Exit(2)
	}
}
