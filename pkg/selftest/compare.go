// Package selftest judges the self-test (ci/selftest): given the verdicts
// of a healthy run and of a run under one fault, which claims should have
// changed (those resting on a mechanism the fault breaks), which did and
// to what, which did not, and which changed that should not have.
package selftest

import (
	"sort"

	"github.com/netconform/netconform/pkg/claims"
)

// Change is one claim's verdict in two runs.
type Change struct {
	ID     string         `json:"id"`
	From   claims.Verdict `json:"from"`
	To     claims.Verdict `json:"to"`
	Reason string         `json:"reason,omitempty"` // the later run's: what decided it
}

// Detection is what one fault did to the catalogue.
type Detection struct {
	Fault  string             `json:"fault"`
	Breaks []claims.Mechanism `json:"breaks"`
	// Expected are the claims resting on a broken mechanism that the
	// healthy run judged (confirmed or refuted): each should change.
	Expected  []string `json:"expected"`
	Detected  []Change `json:"detected"`
	Missed    []Change `json:"missed"`    // expected, and not detected (To may be From)
	Unrelated []Change `json:"unrelated"` // changed, resting on nothing the fault breaks
	// NotJudged rest on a broken mechanism but were not judged in the
	// healthy run (not applicable, failed, not run): nothing to detect.
	NotJudged []Change `json:"notJudged,omitempty"`
	Error     string   `json:"error,omitempty"` // the fault could not be applied, observed or run
}

// Score is the kill score: detected of expected.
func (d Detection) Score() (detected, expected int) { return len(d.Detected), len(d.Expected) }

// Facts says what a claim rests on; claims.FactsOf outside tests.
type Facts func(id string) (claims.Facts, bool)

// Compare judges one fault's run against the healthy one. A claim missing
// from a run counts as not run.
func Compare(fault string, breaks []claims.Mechanism, healthy, faulted map[string]claims.Result, facts Facts) Detection {
	d := Detection{Fault: fault, Breaks: breaks}
	broken := map[claims.Mechanism]bool{}
	for _, m := range breaks {
		broken[m] = true
	}
	for _, id := range claimIDs(healthy, faulted) {
		before, after := resultOf(healthy, id), resultOf(faulted, id)
		c := Change{ID: id, From: before.Verdict, To: after.Verdict, Reason: after.Reason}
		f, _ := facts(id)
		rests := false
		for _, m := range f.Rests {
			rests = rests || broken[m]
		}
		switch {
		case !rests:
			if c.From != c.To {
				d.Unrelated = append(d.Unrelated, c)
			}
		case before.Verdict != claims.Confirmed && before.Verdict != claims.Refuted:
			d.NotJudged = append(d.NotJudged, c)
		case detects(fault, id, before, after):
			d.Expected = append(d.Expected, id)
			d.Detected = append(d.Detected, c)
		default:
			d.Expected = append(d.Expected, id)
			d.Missed = append(d.Missed, c)
		}
	}
	return d
}

// detects: the claim failed, or its verdict turned over (confirmed to
// refuted or back), or it became not applicable, saying why, where the
// fault removes its precondition, or its set-up saw the fault through the
// API and it was not run.
func detects(fault, id string, before, after claims.Result) bool {
	switch after.Verdict {
	case claims.Failed:
		return true
	case claims.Refuted:
		return before.Verdict == claims.Confirmed
	case claims.Confirmed:
		return before.Verdict == claims.Refuted
	case claims.NotApplicable:
		return after.Reason != "" && NotApplicableDetects(fault, id)
	case claims.NotRun:
		return SetUpDetects(fault, after.Reason)
	}
	return false
}

// Stability lists the claims whose verdict differs between two runs of
// the same cluster (the healthy run and the one after every revert).
func Stability(first, again map[string]claims.Result) []Change {
	var out []Change
	for _, id := range claimIDs(first, again) {
		a, b := resultOf(first, id), resultOf(again, id)
		if a.Verdict != b.Verdict {
			out = append(out, Change{ID: id, From: a.Verdict, To: b.Verdict, Reason: b.Reason})
		}
	}
	return out
}

func resultOf(run map[string]claims.Result, id string) claims.Result {
	if r, ok := run[id]; ok {
		return r
	}
	return claims.Result{ID: id, Verdict: claims.NotRun, Reason: "no result in this run"}
}

func claimIDs(runs ...map[string]claims.Result) []string {
	seen := map[string]bool{}
	var out []string
	for _, run := range runs {
		for id := range run {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return claims.Less(out[i], out[j]) })
	return out
}
