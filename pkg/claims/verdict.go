package claims

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/modroot"
)

// Verdict of a claim, always from what the cluster did.
type Verdict string

const (
	Confirmed     Verdict = "confirmed"      // the cluster does what the document says
	Refuted       Verdict = "refuted"        // the document is wrong; the cluster does what Kubernetes specifies
	Failed        Verdict = "failed"         // the cluster does not behave as Kubernetes specifies
	NotApplicable Verdict = "not applicable" // the set-up makes the claim moot (reason detected)
)

// Result is one claim's outcome in one run.
type Result struct {
	ID       string            `json:"id"`
	Verdict  Verdict           `json:"verdict"`
	Reason   string            `json:"reason,omitempty"` // why refuted / not applicable / failed
	Evidence []string          `json:"evidence"`
	Backends map[string]int    `json:"backends,omitempty"` // requests per backend, for load-spread claims
	Seconds  float64           `json:"seconds"`
	Labels   map[string]string `json:"labels,omitempty"`
}

// Check records the verdict of one claim test. Its verdict is derived when
// the test ends: failed if the test failed, else refuted if the test saw
// the document contradicted, else not applicable if it was skipped with a
// detected reason, else confirmed.
type Check struct {
	t        *testing.T
	id       string
	start    time.Time
	mu       sync.Mutex
	evidence []string
	refuted  string
	backends map[string]int
	// notApplicable is the detected reason the claim is moot here.
	notApplicable string
}

// Start begins the check of claim id in t; unknown IDs fail the test.
func Start(t *testing.T, id string) *Check {
	t.Helper()
	if _, ok := Lookup(id); !ok {
		t.Fatalf("claim %s is not in the catalogue (pkg/claims/CLAIMS.md)", id)
	}
	c := &Check{t: t, id: id, start: time.Now()}
	t.Cleanup(c.finish)
	return c
}

// Evidence logs an observation and keeps it for the report.
func (c *Check) Evidence(format string, args ...any) {
	c.t.Helper()
	line := fmt.Sprintf(format, args...)
	c.t.Log(line)
	c.mu.Lock()
	c.evidence = append(c.evidence, line)
	c.mu.Unlock()
}

// Refute records that the document's claim is contradicted by a cluster
// that behaves as Kubernetes specifies; observation says what was seen.
func (c *Check) Refute(observation string) {
	c.t.Helper()
	c.Evidence("document refuted: %s", observation)
	c.mu.Lock()
	c.refuted = observation
	c.mu.Unlock()
}

// NotApplicable ends the calling test (t: the assessment running now) and
// records that the claim is moot on this cluster, for reason.
func (c *Check) NotApplicable(t *testing.T, reason string) {
	t.Helper()
	c.mu.Lock()
	c.notApplicable = reason
	c.evidence = append(c.evidence, "not applicable: "+reason)
	c.mu.Unlock()
	t.Skipf("not applicable: %s", reason)
}

// Backends records requests per backend (shown as a bar chart).
func (c *Check) Backends(counts map[string]int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.backends = map[string]int{}
	for k, v := range counts {
		c.backends[k] = v
	}
}

func (c *Check) finish() {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := Result{ID: c.id, Evidence: c.evidence, Backends: c.backends, Seconds: time.Since(c.start).Seconds()}
	switch {
	case c.t.Failed():
		r.Verdict, r.Reason = Failed, "the test failed: see its log"
	case c.refuted != "":
		r.Verdict, r.Reason = Refuted, c.refuted
	case c.notApplicable != "":
		r.Verdict, r.Reason = NotApplicable, c.notApplicable
	default:
		r.Verdict = Confirmed
	}
	if err := appendResult(r); err != nil {
		c.t.Logf("record verdict of %s: %v", c.id, err)
	}
}

var resultsMu sync.Mutex

// ResultsFile is where verdicts of this run are appended (JSON lines);
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

func appendResult(r Result) error {
	resultsMu.Lock()
	defer resultsMu.Unlock()
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
