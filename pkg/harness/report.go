package harness

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/netconform/netconform/pkg/claims"
	"github.com/netconform/netconform/pkg/verdict"
)

// writeReport renders this run's verdicts beside its results file
// (report/claims.{md,json,html}), so the plain `go test` gives the same
// report as make e2e, and prints the counts.
func writeReport() {
	path := verdict.ResultsFile()
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "[report] %v\n", err)
		return
	}
	defer f.Close()
	res, err := claims.ReadResults(f)
	if err != nil {
		fmt.Fprintf(os.Stderr, "[report] %v\n", err)
		return
	}
	rep := claims.Build(res)
	rep.Cell, _ = claims.ReadCell(claims.CellFile(path))
	out := filepath.Join(filepath.Dir(path), "report")
	if err := rep.WriteFiles(out); err != nil {
		fmt.Fprintf(os.Stderr, "[report] %v\n", err)
		return
	}
	fmt.Fprintf(os.Stderr, "[report] %s -> %s/claims.{md,json,html}\n", rep.Summary(), out)
}
