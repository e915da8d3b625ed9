// Package verdict is how a claim's verdict is made, in one place: a Check
// records what its steps observed and decided, and only an explicit call
// (Confirm, Refute, NotApplicable, or a failed assertion through Errorf or
// Fatalf) decides. A claim whose checks did not run is "not run", never
// confirmed.
package verdict

import (
	"fmt"
	"strings"

	"github.com/netconform/netconform/pkg/claims"
)

// record is what a claim's test observed and decided, step by step.
type record struct {
	declared      []string // assessment steps, in order
	started       []string // assessment steps that began
	undecided     []string // steps that ended without a decision
	setupFailed   bool     // a failure before any assessment began
	failures      []string // failed assertions' messages
	failedSilent  []string // steps that failed without a message through this package
	confirms      []string
	refutes       []string
	notApplicable string
}

// decide turns a record into a verdict and its reason. testFailed is the
// test's own state (a helper may fail it with t.Fatal directly).
func decide(r record, testFailed bool) (claims.Verdict, string) {
	failed := testFailed || len(r.failures) > 0 || len(r.failedSilent) > 0
	why := failureReason(r)
	switch {
	case failed && (r.setupFailed || len(r.started) == 0):
		return claims.NotRun, "set-up failed before any check: " + why
	case failed:
		return claims.Failed, why
	case r.notApplicable != "":
		return claims.NotApplicable, r.notApplicable
	}
	if missing := without(r.declared, r.started); len(missing) > 0 {
		if len(r.started) == 0 {
			return claims.NotRun, fmt.Sprintf("no check ran: step %s not selected (-run or --assess)", strings.Join(missing, ", "))
		}
		return claims.NotRun, fmt.Sprintf("step %s did not run (-run or --assess), so the claim is not decided", strings.Join(missing, ", "))
	}
	if len(r.undecided) > 0 {
		return claims.Failed, fmt.Sprintf("test defect: step %s ended without a decision (Confirm, Refute, NotApplicable or a failed assertion)", strings.Join(r.undecided, ", "))
	}
	if len(r.refutes) > 0 {
		return claims.Refuted, strings.Join(r.refutes, "; ")
	}
	if len(r.confirms) > 0 {
		return claims.Confirmed, strings.Join(r.confirms, "; ")
	}
	return claims.NotRun, "no step decided anything"
}

func failureReason(r record) string {
	var parts []string
	parts = append(parts, r.failures...)
	for _, s := range r.failedSilent {
		parts = append(parts, fmt.Sprintf("step %s failed: its message is in the test log", s))
	}
	if len(parts) == 0 {
		return "the test failed: its message is in the test log"
	}
	const most = 3
	if len(parts) > most {
		parts = append(parts[:most], fmt.Sprintf("and %d more", len(parts)-most))
	}
	return strings.Join(parts, "; ")
}

func without(all, some []string) []string {
	seen := map[string]bool{}
	for _, s := range some {
		seen[s] = true
	}
	var out []string
	for _, s := range all {
		if !seen[s] {
			out = append(out, s)
		}
	}
	return out
}
