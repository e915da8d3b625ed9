package verdict

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sync"

	"github.com/netconform/netconform/pkg/claims"
	"github.com/netconform/netconform/pkg/modroot"
)

var (
	resultsMu sync.Mutex
	reported  = map[string]bool{} // claims with a result in this run
)

// ResultsFile is where verdicts of this run go (JSON lines);
// NETCONFORM_RESULTS, else _artifacts/results.jsonl under the module root.
func ResultsFile() string {
	if f := os.Getenv("NETCONFORM_RESULTS"); f != "" {
		return f
	}
	root, err := modroot.Find()
	if err != nil {
		root, _ = os.Getwd()
	}
	return filepath.Join(root, "_artifacts", "results.jsonl")
}

// BeginRun empties the results file: it holds this run's verdicts only.
func BeginRun() error {
	resultsMu.Lock()
	defer resultsMu.Unlock()
	path := ResultsFile()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, nil, 0o644)
}

// EndRun reports every catalogue claim that has no verdict in this run as
// not run: pending ones with their reason, the others with stopped (why
// the run ended early) or as not selected.
func EndRun(stopped string) error {
	pending := claims.Pending()
	for _, c := range claims.All() {
		resultsMu.Lock()
		done := reported[c.ID]
		resultsMu.Unlock()
		if done {
			continue
		}
		reason := "not selected in this run (-run, --labels or --feature)"
		switch {
		case pending[c.ID] != "":
			reason = pending[c.ID]
		case stopped != "":
			reason = "the run stopped before this claim: " + stopped
		}
		if err := writeResult(claims.Result{ID: c.ID, Verdict: claims.NotRun, Reason: reason}); err != nil {
			return err
		}
	}
	return nil
}

func writeResult(r claims.Result) error {
	resultsMu.Lock()
	defer resultsMu.Unlock()
	reported[r.ID] = true
	path := ResultsFile()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	line, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = f.Write(append(line, '\n'))
	return err
}
