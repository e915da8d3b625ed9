package verdict

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/claims"
)

// Check records the verdict of one claim's test. Steps run one after the
// other (e2e-framework runs a feature's steps in order), so a decision
// belongs to the step running when it is made.
type Check struct {
	t     *testing.T // the claim's feature test
	id    string
	start time.Time

	mu       sync.Mutex
	evidence []string
	backends map[string]int
	rec      record
	step     string // the running assessment ("" during set-up)
	decided  bool   // the running step made a decision
}

// checks maps a claim's tests (the feature and its steps) to its Check, so
// that assertions made through Errorf or Fatalf by shared helpers land in it.
var checks sync.Map // *testing.T -> *Check

// start begins the check of claim id in t; an unknown ID fails the test.
func start(t *testing.T, id string, declared []string) *Check {
	t.Helper()
	if _, ok := claims.Lookup(id); !ok {
		t.Fatalf("claim %s is not in the catalogue (pkg/claims/CLAIMS.md)", id)
	}
	c := &Check{t: t, id: id, start: time.Now(), rec: record{declared: declared}}
	checks.Store(t, c)
	t.Cleanup(c.finish)
	return c
}

func checkOf(t *testing.T) *Check {
	if c, ok := checks.Load(t); ok {
		return c.(*Check)
	}
	return nil
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

// Confirm decides the running step: the cluster does what the document
// says; observation names what was seen.
func (c *Check) Confirm(format string, args ...any) {
	c.t.Helper()
	c.decide(&c.rec.confirms, "confirmed", fmt.Sprintf(format, args...))
}

// Refute decides the running step: the document is contradicted by a
// cluster that behaves as Kubernetes specifies; observation says what was seen.
func (c *Check) Refute(format string, args ...any) {
	c.t.Helper()
	c.decide(&c.rec.refutes, "document refuted", fmt.Sprintf(format, args...))
}

// decide records obs as evidence and in list, and marks the step decided.
func (c *Check) decide(list *[]string, label, obs string) {
	c.t.Helper()
	c.Evidence("%s: %s", label, obs)
	c.mu.Lock()
	*list = append(*list, obs)
	c.decided = true
	c.mu.Unlock()
}

// NotApplicable ends the calling step (t: the step running now) and
// records that the claim is moot on this cluster, for a detected reason.
func (c *Check) NotApplicable(t *testing.T, reason string) {
	t.Helper()
	c.mu.Lock()
	c.rec.notApplicable = reason
	c.evidence = append(c.evidence, "not applicable: "+reason)
	c.decided = true
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

func (c *Check) failure(msg string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rec.failures = append(c.rec.failures, msg)
	if c.step == "" {
		c.rec.setupFailed = true
	}
	c.decided = true
}

// beginStep and endStep bracket an assessment; endStep runs deferred, so
// it also sees a step that ended by t.FailNow or t.SkipNow.
func (c *Check) beginStep(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.step, c.decided = name, false
	c.rec.started = append(c.rec.started, name)
}

func (c *Check) endStep(t *testing.T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case t.Failed() && !c.decided:
		c.rec.failedSilent = append(c.rec.failedSilent, c.step)
	case !t.Failed() && !t.Skipped() && !c.decided:
		c.rec.undecided = append(c.rec.undecided, c.step)
	}
	c.step = ""
}

func (c *Check) finish() {
	c.mu.Lock()
	if !c.rec.setupFailed && len(c.rec.started) == 0 && c.t.Failed() {
		c.rec.setupFailed = true // a helper's t.Fatal in set-up
	}
	v, reason := decide(c.rec, c.t.Failed())
	r := claims.Result{ID: c.id, Verdict: v, Reason: reason, Evidence: c.evidence, Backends: c.backends,
		Seconds: time.Since(c.start).Seconds()}
	c.mu.Unlock()
	checks.Delete(c.t)
	if err := writeResult(r); err != nil {
		c.t.Logf("record verdict of %s: %v", c.id, err)
	}
	if c.t.Failed() {
		return
	}
	switch v {
	case claims.Failed: // a test defect the test itself did not fail on
		c.t.Errorf("%s: %s", c.id, reason)
	case claims.NotRun, claims.NotApplicable:
		c.t.Skipf("%s: %s", v, reason) // JUnit shows the claim as skipped, with why
	}
}
