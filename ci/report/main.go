// Command report turns a run's verdicts (JSON lines written by the suite)
// into claims.md, claims.json and claims.html, and prints the summary.
// It exits 1 when a claim failed.
//
//	go run ./ci/report -results _artifacts/results.jsonl -out _artifacts/report
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/netconform/netconform/pkg/claims"
)

func main() {
	results := flag.String("results", claims.ResultsFile(), "verdicts of a run (JSON lines)")
	out := flag.String("out", "_artifacts/report", "directory for claims.md, claims.json, claims.html")
	flag.Parse()
	f, err := os.Open(*results)
	if err != nil {
		fmt.Fprintf(os.Stderr, "report: %v (run `make e2e` first)\n", err)
		os.Exit(2)
	}
	defer f.Close()
	res, err := claims.ReadResults(f)
	if err != nil {
		fmt.Fprintf(os.Stderr, "report: %v\n", err)
		os.Exit(2)
	}
	rep := claims.Build(res)
	if err := rep.WriteFiles(*out); err != nil {
		fmt.Fprintf(os.Stderr, "report: %v\n", err)
		os.Exit(2)
	}
	fmt.Printf("[report] %s -> %s/claims.{md,json,html}\n", rep.Summary(), *out)
	if rep.Failed() {
		os.Exit(1)
	}
}
