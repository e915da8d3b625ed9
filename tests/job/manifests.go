//go:build e2e

package job

import (
	"fmt"
	"regexp"
	"strings"
)

// manifestOutcome is what a conformant API server does with one of the
// documents' manifests (fixtures/documents, verbatim), and why: the
// expected outcome as data, separate from the dry-run that observes it.
type manifestOutcome struct {
	accepted bool
	cause    string // rejected: a part of the rejection that names its cause
	defect   string // rejected: whose defect it is, when the cause says it outright
	nodePort int32  // the nodePort the manifest fixes (0: none)
	// restored: copies that undo, one step more each, what was lost or
	// added on the way to the page, each tried in turn (for a manifest
	// whose rejection might be the page's doing).
	restored []restoration
}

// restoration is a copy of a verbatim manifest derived in Go, so the
// fixture stays verbatim and the difference is exactly the one named.
type restoration struct {
	what     string
	author   string // "": the copy only undoes what the page lost; else the author's part it takes out
	derive   func(string) (string, error)
	accepted bool // what a conformant API server does with the copy
}

var documentManifests = map[string]manifestOutcome{
	"000-1-deployment.yaml": {accepted: true}, // apps/v1 Deployment
	"000-2-job.yaml":        {accepted: true}, // batch/v1 Job
	"000-3-service.yaml":    {accepted: true}, // Service without targetPort
	"000-4-job.yaml":        {accepted: true}, // batch/v1 Job
	"000-5-job.yaml":        {accepted: true}, // batch/v1 Job
	"001-1-service.yaml": {accepted: false, cause: "not valid YAML",
		restored: []restoration{
			// The page put every line at column 0; the object it shows
			// (its legend names name, selector, ports, port, targetPort)
			// nests them so.
			{"with the indentation the page lost restored, nothing else changed", "", reindent(0, 0, 0, 2, 0, 2, 4, 2, 2, 4, 4), false},
			{"with the indentation restored and the callout markers (1)..(5) removed", "the callout markers (1)..(5) that the listing puts after the values, keyed to its legend",
				then(reindent(0, 0, 0, 2, 0, 2, 4, 2, 2, 4, 4), dropCallouts), true},
		}},
	"004-1-service.yaml": {accepted: true, nodePort: 32001}, // NodePort Service (namespace moved to the test's)
	"004-2-deployment.yaml": {accepted: false, cause: "extensions/v1beta1",
		defect: v1beta1Defect},
	"004-3-deployment.yaml": {accepted: false, cause: "extensions/v1beta1",
		defect: v1beta1Defect},
}

// v1beta1Defect: the page kept these manifests whole; they were written
// for an API Kubernetes stopped serving.
const v1beta1Defect = "the author's: a Deployment of extensions/v1beta1, not served since Kubernetes 1.16 (nor has it the spec.selector apps/v1 requires); the page kept it whole"

// reindent gives line i of a manifest whose lines all start at column 0
// the indentation indent[i], and fails if that would change anything
// else (a line already indented, or another number of lines).
func reindent(indent ...int) func(string) (string, error) {
	return func(s string) (string, error) {
		lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
		if len(lines) != len(indent) {
			return "", fmt.Errorf("reindent: %d lines, %d indents", len(lines), len(indent))
		}
		for i, l := range lines {
			if strings.TrimLeft(l, " \t") != l {
				return "", fmt.Errorf("reindent: line %d is already indented: %q", i+1, l)
			}
			lines[i] = strings.Repeat(" ", indent[i]) + l
		}
		return strings.Join(lines, "\n") + "\n", nil
	}
}

// callout is a listing's callout marker at the end of a line: " (4)".
var callout = regexp.MustCompile(` +\([0-9]\)$`)

// dropCallouts removes the callout markers and nothing else.
func dropCallouts(s string) (string, error) {
	lines := strings.Split(s, "\n")
	n := 0
	for i, l := range lines {
		if callout.MatchString(l) {
			lines[i] = callout.ReplaceAllString(l, "")
			n++
		}
	}
	if n == 0 {
		return "", fmt.Errorf("dropCallouts: no callout marker")
	}
	return strings.Join(lines, "\n"), nil
}

func then(a, b func(string) (string, error)) func(string) (string, error) {
	return func(s string) (string, error) {
		s, err := a(s)
		if err != nil {
			return "", err
		}
		return b(s)
	}
}

// whoseDefect reads the restorations' outcomes: accepted once what the
// page lost is restored, the page's defect; accepted only once a part the
// author wrote is taken out too, or not at all, the author's.
func whoseDefect(tries []restoration, accepted []bool) string {
	for i, r := range tries {
		switch {
		case !accepted[i]:
			continue
		case r.author == "":
			return "the page's: it lost the manifest's indentation, and the author's manifest, with it restored, is accepted"
		default:
			return "the author's: with what the page lost restored it is still rejected, and it is accepted only without " + r.author
		}
	}
	if len(tries) == 0 {
		return ""
	}
	return "the author's: rejected even with what the page lost restored"
}
