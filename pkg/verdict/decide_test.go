package verdict

import (
	"strings"
	"testing"

	"github.com/netconform/netconform/pkg/claims"
	"gotest.tools/v3/assert"
)

func TestDecide(t *testing.T) {
	both := []string{"A", "B"}
	for _, tc := range []struct {
		name   string
		rec    record
		failed bool
		want   claims.Verdict
		reason string
	}{
		{"an empty assessment is not run, never confirmed", record{}, false, claims.NotRun, "no step decided"},
		{"filtered steps are not run", record{declared: both}, false, claims.NotRun, "no check ran: step A, B not selected"},
		{"one step of two ran", record{declared: both, started: []string{"A"}, confirms: []string{"x"}}, false, claims.NotRun, "step B did not run"},
		{"confirmed only by a named observation", record{declared: both, started: both, confirms: []string{"saw x", "saw y"}}, false, claims.Confirmed, "saw x; saw y"},
		{"a refute wins over a confirm", record{declared: both, started: both, confirms: []string{"x"}, refutes: []string{"nxdomain"}}, false, claims.Refuted, "nxdomain"},
		{"a step without a decision is a test defect", record{declared: both, started: both, confirms: []string{"x"}, undecided: []string{"B"}}, false, claims.Failed, "test defect: step B"},
		{"the failed reason is the assertion's message", record{declared: both, started: both, failures: []string{"got 2/3 backends"}}, true, claims.Failed, "got 2/3 backends"},
		{"a helper's t.Fatal names its step", record{declared: both, started: both, failedSilent: []string{"A"}}, true, claims.Failed, "step A failed: its message is in the test log"},
		{"a failed set-up is not run, with its message", record{declared: both, setupFailed: true, failures: []string{"create pod: quota"}}, true, claims.NotRun, "set-up failed before any check: create pod: quota"},
		{"not applicable with its reason", record{declared: both, started: []string{"A"}, notApplicable: "single-stack"}, false, claims.NotApplicable, "single-stack"},
		{"failure wins over not applicable", record{declared: both, started: both, notApplicable: "x", failures: []string{"boom"}}, true, claims.Failed, "boom"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, reason := decide(tc.rec, tc.failed)
			assert.Equal(t, v, tc.want)
			assert.Assert(t, contains(reason, tc.reason), "reason %q, want it to contain %q", reason, tc.reason)
		})
	}
}

func TestFailureReasonKeepsTheFirstThree(t *testing.T) {
	r := failureReason(record{failures: []string{"a", "b", "c", "d", "e"}})
	assert.Equal(t, r, "a; b; c; and 2 more")
}

func contains(s, sub string) bool {
	return strings.Contains(s, sub)
}
