package upstream

import (
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
)

// The JUnit ginkgo writes (reporters.JUnitTestSuites), as far as a reader
// needs it. Declared here rather than imported: ginkgo is the tree's
// dependency, not the suite's.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Disabled int          `xml:"disabled,attr"`
	Errors   int          `xml:"errors,attr"`
	Failures int          `xml:"failures,attr"`
	Time     float64      `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string      `xml:"name,attr"`
	Package    string      `xml:"package,attr"`
	Tests      int         `xml:"tests,attr"`
	Disabled   int         `xml:"disabled,attr"`
	Skipped    int         `xml:"skipped,attr"`
	Errors     int         `xml:"errors,attr"`
	Failures   int         `xml:"failures,attr"`
	Time       float64     `xml:"time,attr"`
	Timestamp  string      `xml:"timestamp,attr"`
	Properties *junitProps `xml:"properties,omitempty"`
	Cases      []junitCase `xml:"testcase"`
}

type junitProps struct {
	Props []struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	} `xml:"property"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Status    string        `xml:"status,attr"`
	Time      float64       `xml:"time,attr"`
	Owner     string        `xml:"owner,attr,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	Error     *junitFailure `xml:"error,omitempty"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
	SystemErr string        `xml:"system-err,omitempty"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

type junitFailure struct {
	Message     string `xml:"message,attr"`
	Type        string `xml:"type,attr"`
	Description string `xml:",chardata"`
}

// selected: the spec was in the focus. ginkgo reports every spec of the
// binary; the thousands outside the focus are "skipped" with no reason,
// while a spec skipped at run time says why.
func (c junitCase) selected() bool {
	return c.Skipped == nil || strings.TrimSpace(c.Skipped.Message) != "skipped"
}

// spec: an It, not a suite-level node such as [SynchronizedBeforeSuite].
func (c junitCase) spec() bool { return strings.HasPrefix(c.Name, "[It] ") }

func (c junitCase) failed() bool { return c.Failure != nil || c.Error != nil }

// SpecResult is one selected spec.
type SpecResult struct {
	Name    string  // full text without ginkgo's "[It] "
	State   string  // passed, failed, skipped, panicked, timedout ...
	Seconds float64 // its own run time
	Cause   string  // first line of the failure (or skip reason)
}

// Summary is a run's outcome.
type Summary struct {
	Specs                   []SpecResult
	Passed, Failed, Skipped int
	SuiteFailures           []SpecResult // BeforeSuite and the like
	Wall                    time.Duration
	Procs                   int
}

// filterJUnit reads ginkgo's complete report, writes one with only the
// selected specs (a CI page should not list thousands of unselected
// specs as skipped) and summarises them.
func filterJUnit(in, out string) (*Summary, error) {
	data, err := os.ReadFile(in)
	if err != nil {
		return nil, fmt.Errorf("read ginkgo's JUnit report: %w", err)
	}
	var all junitSuites
	if err := xml.Unmarshal(data, &all); err != nil {
		return nil, fmt.Errorf("parse %s: %w", in, err)
	}
	s := &Summary{}
	kept := all
	kept.Tests, kept.Disabled, kept.Errors, kept.Failures = 0, 0, 0, 0
	kept.Suites = nil
	for _, suite := range all.Suites {
		k := suite
		k.Cases, k.Tests, k.Skipped, k.Errors, k.Failures, k.Disabled = nil, 0, 0, 0, 0, 0
		for _, c := range suite.Cases {
			if !c.selected() {
				continue
			}
			k.Cases = append(k.Cases, c)
			k.Tests++
			switch {
			case c.Error != nil:
				k.Errors++
			case c.Failure != nil:
				k.Failures++
			case c.Skipped != nil:
				k.Skipped++
			}
			s.add(c)
		}
		kept.Tests += k.Tests
		kept.Errors += k.Errors
		kept.Failures += k.Failures
		kept.Suites = append(kept.Suites, k)
	}
	buf, err := xml.MarshalIndent(kept, "", "  ")
	if err != nil {
		return nil, err
	}
	return s, os.WriteFile(out, append([]byte(xml.Header), append(buf, '\n')...), 0o644)
}

func (s *Summary) add(c junitCase) {
	r := SpecResult{Name: withoutLabelList(strings.TrimPrefix(c.Name, "[It] ")), State: c.Status, Seconds: c.Time}
	switch {
	case c.Failure != nil:
		r.Cause = firstLine(c.Failure.Message, c.Failure.Description)
	case c.Error != nil:
		r.Cause = firstLine(c.Error.Message, c.Error.Description)
	case c.Skipped != nil:
		r.Cause = strings.TrimPrefix(c.Skipped.Message, "skipped - ")
	}
	if !c.spec() {
		if c.failed() {
			s.SuiteFailures = append(s.SuiteFailures, r)
		}
		return
	}
	s.Specs = append(s.Specs, r)
	switch {
	case c.failed():
		s.Failed++
	case c.Skipped != nil:
		s.Skipped++
	default:
		s.Passed++
	}
}

// withoutLabelList drops the label list ginkgo's JUnit appends to a name
// ("... [Conformance] [sig-network, Conformance]") when every label is in
// the text already, as e2e's are.
func withoutLabelList(name string) string {
	i := strings.LastIndex(name, " [")
	if i < 0 || !strings.HasSuffix(name, "]") {
		return name
	}
	for _, l := range strings.Split(name[i+2:len(name)-1], ", ") {
		if !strings.Contains(name[:i], "["+l+"]") {
			return name
		}
	}
	return name[:i]
}

// firstLine is the first non-empty line of the first non-empty text, cut
// to a terminal line.
func firstLine(texts ...string) string {
	for _, t := range texts {
		for _, l := range strings.Split(t, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				if len(l) > 300 {
					l = l[:300] + "..."
				}
				return l
			}
		}
	}
	return ""
}

// Slowest returns the n specs that took longest.
func (s *Summary) Slowest(n int) []SpecResult {
	specs := append([]SpecResult(nil), s.Specs...)
	sort.SliceStable(specs, func(i, j int) bool { return specs[i].Seconds > specs[j].Seconds })
	if len(specs) > n {
		specs = specs[:n]
	}
	return specs
}

// Print writes the summary: counts and wall time, the slowest specs, and
// every failure with its cause.
func (s *Summary) Print(w io.Writer, junit string) {
	fmt.Fprintf(w, "[upstream] %d specs: %d passed, %d failed, %d skipped; wall %s at %d ginkgo processes (JUnit: %s)\n",
		len(s.Specs), s.Passed, s.Failed, s.Skipped, round(s.Wall), s.Procs, junit)
	for _, r := range s.SuiteFailures {
		fmt.Fprintf(w, "[upstream] suite node %s %s: %s\n", r.Name, strings.ToUpper(r.State), r.Cause)
	}
	fmt.Fprintf(w, "[upstream] slowest specs:\n")
	for _, r := range s.Slowest(5) {
		fmt.Fprintf(w, "[upstream]   %6.1f s  %s\n", r.Seconds, r.Name)
	}
	for _, r := range s.Specs {
		if r.State != "passed" {
			fmt.Fprintf(w, "[upstream] %s: %s\n    %s\n", strings.ToUpper(r.State), r.Name, r.Cause)
		}
	}
}
