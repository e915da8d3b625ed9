package selftest

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/netconform/netconform/pkg/claims"
)

// Report is one self-test: the healthy run, every fault's detections, and
// the healthy run again after the last revert.
type Report struct {
	Cluster string                 `json:"cluster"`
	Started time.Time              `json:"started"`
	Seconds float64                `json:"seconds"`
	Healthy map[claims.Verdict]int `json:"healthy"` // verdict counts of the first run
	// HealthyFailed are claims the healthy run found failed: their
	// detection cannot be shown.
	HealthyFailed []string    `json:"healthyFailed,omitempty"`
	Faults        []Detection `json:"faults"`
	// Again is how the run after every revert differs from the first;
	// AgainError says why it did not run.
	Again      []Change `json:"again"`
	AgainError string   `json:"againError,omitempty"`
	Steps      []Step   `json:"steps"`
	// Error says why the self-test stopped before judging every fault.
	Error string `json:"error,omitempty"`
}

// Step is one timed step of the self-test, for the report's last table.
type Step struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
	Note    string  `json:"note,omitempty"`
}

// KillScore sums every fault's: detected of expected.
func (r Report) KillScore() (detected, expected int) {
	for _, d := range r.Faults {
		a, b := d.Score()
		detected, expected = detected+a, expected+b
	}
	return detected, expected
}

// Problems are what make the self-test fail, one line each.
func (r Report) Problems() []string {
	var out []string
	if r.Error != "" {
		out = append(out, "stopped: "+r.Error)
	}
	for _, id := range r.HealthyFailed {
		out = append(out, fmt.Sprintf("healthy run: %s failed, so no fault can show that it detects anything", id))
	}
	for _, d := range r.Faults {
		if d.Error != "" {
			out = append(out, fmt.Sprintf("%s: %s", d.Fault, d.Error))
		}
		for _, c := range d.Missed {
			out = append(out, fmt.Sprintf("%s: missed by %s (%s, then %s: %s)", d.Fault, c.ID, c.From, c.To, firstLine(c.Reason)))
		}
		for _, c := range d.Unrelated {
			out = append(out, fmt.Sprintf("%s: %s changed (%s to %s) but rests on nothing the fault breaks: %s", d.Fault, c.ID, c.From, c.To, firstLine(c.Reason)))
		}
	}
	if r.AgainError != "" {
		out = append(out, "healthy again: "+r.AgainError)
	}
	for _, c := range r.Again {
		out = append(out, fmt.Sprintf("healthy again: %s is %s, was %s: %s", c.ID, c.To, c.From, firstLine(c.Reason)))
	}
	return out
}

// Markdown renders the report: the detection table, then each fault's
// changes with the reasons the claims gave, the problems and the steps.
func (r Report) Markdown(w io.Writer) error {
	var b strings.Builder
	detected, expected := r.KillScore()
	fmt.Fprintf(&b, "# Self-test on %s\n\n", r.Cluster)
	if r.Error != "" {
		fmt.Fprintf(&b, "**Stopped: %s**\n\n", mdCell(r.Error))
	}
	fmt.Fprintf(&b, "Started %s, took %s. Kill score **%s**. Healthy run: %s.\n\n",
		r.Started.UTC().Format(time.RFC3339), (time.Duration(r.Seconds) * time.Second).String(), score(detected, expected), counts(r.Healthy))
	b.WriteString("| fault | breaks | expected to change | changed, to what | missed | unrelated changes | kill score |\n|---|---|---|---|---|---|---|\n")
	for _, d := range r.Faults {
		a, e := d.Score()
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", d.Fault, mechanisms(d.Breaks), list(d.Expected),
			changes(d.Detected), changes(d.Missed), changes(d.Unrelated), score(a, e))
	}
	for _, d := range r.Faults {
		fmt.Fprintf(&b, "\n## %s\n\n", d.Fault)
		if d.Error != "" {
			fmt.Fprintf(&b, "**%s**\n\n", mdCell(d.Error))
		}
		for _, group := range []struct {
			title string
			cs    []Change
		}{{"Detected", d.Detected}, {"Missed", d.Missed}, {"Unrelated changes", d.Unrelated}, {"Resting on it but not judged when healthy", d.NotJudged}} {
			if len(group.cs) == 0 {
				continue
			}
			fmt.Fprintf(&b, "%s:\n\n", group.title)
			for _, c := range group.cs {
				fmt.Fprintf(&b, "- %s: %s → %s: %s\n", c.ID, c.From, c.To, mdCell(firstLine(c.Reason)))
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("\n## Healthy again\n\n")
	switch {
	case r.AgainError != "":
		fmt.Fprintf(&b, "Did not run: %s\n", mdCell(r.AgainError))
	case r.Error != "":
		b.WriteString("Did not run: the self-test stopped.\n")
	case len(r.Again) == 0:
		b.WriteString("Every verdict as in the first healthy run.\n")
	default:
		for _, c := range r.Again {
			fmt.Fprintf(&b, "- %s: %s → %s: %s\n", c.ID, c.From, c.To, mdCell(firstLine(c.Reason)))
		}
	}
	if p := r.Problems(); len(p) > 0 {
		b.WriteString("\n## Problems\n\n")
		for _, line := range p {
			fmt.Fprintf(&b, "- %s\n", mdCell(line))
		}
	}
	b.WriteString("\n## Steps\n\n| step | seconds | note |\n|---|---|---|\n")
	for _, s := range r.Steps {
		fmt.Fprintf(&b, "| %s | %.0f | %s |\n", s.Name, s.Seconds, mdCell(s.Note))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// JSON renders the report as one indented object.
func (r Report) JSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteFiles writes selftest.md and selftest.json into dir.
func (r Report) WriteFiles(dir string) error {
	return claims.WriteRendered(dir, map[string]func(io.Writer) error{"selftest.md": r.Markdown, "selftest.json": r.JSON})
}

func score(detected, expected int) string {
	if expected == 0 {
		return fmt.Sprintf("%d/0", detected)
	}
	return fmt.Sprintf("%d/%d (%d%%)", detected, expected, detected*100/expected)
}

func counts(c map[claims.Verdict]int) string {
	var parts []string
	for _, v := range []claims.Verdict{claims.Confirmed, claims.Refuted, claims.Failed, claims.NotApplicable, claims.NotRun} {
		parts = append(parts, fmt.Sprintf("%d %s", c[v], v))
	}
	return strings.Join(parts, ", ")
}

func mechanisms(ms []claims.Mechanism) string {
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = string(m)
	}
	return strings.Join(s, ", ")
}

func list(ids []string) string {
	if len(ids) == 0 {
		return "—"
	}
	return strings.Join(ids, ", ")
}

func changes(cs []Change) string {
	if len(cs) == 0 {
		return "—"
	}
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = c.ID + " " + string(c.To)
	}
	return strings.Join(s, ", ")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
