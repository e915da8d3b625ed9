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
	"os"

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

func exitOn(err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "report: %v\n", err)
		os.Exit(2)
	}
}
