package claims

import (
	"bufio"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"os"
	"sort"
	"strings"
)

// Row is one claim in a report.
type Row struct {
	Claim
	Result Result `json:"result"`
}

// Report is the verdict table of a run.
type Report struct {
	Cell   *Cell           `json:"cell,omitempty"` // what the verdicts belong to, when known
	Rows   []Row           `json:"claims"`
	Counts map[Verdict]int `json:"counts"`
}

// ReadResults reads a results file (JSON lines); a later line for the same
// claim replaces an earlier one.
func ReadResults(r io.Reader) (map[string]Result, error) {
	out := map[string]Result{}
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; s.Scan(); n++ {
		if strings.TrimSpace(s.Text()) == "" {
			continue
		}
		var res Result
		if err := json.Unmarshal(s.Bytes(), &res); err != nil {
			return nil, fmt.Errorf("results line %d: %w", n, err)
		}
		out[res.ID] = res
	}
	return out, s.Err()
}

// Build joins the catalogue with results; every catalogue claim has a row.
func Build(results map[string]Result) Report {
	rep := Report{Counts: map[Verdict]int{}}
	for _, c := range All() {
		r, ok := results[c.ID]
		if !ok {
			r = Result{ID: c.ID, Verdict: NotRun}
		}
		rep.Rows = append(rep.Rows, Row{Claim: c, Result: r})
		rep.Counts[r.Verdict]++
	}
	return rep
}

// Failed reports whether any claim failed.
func (r Report) Failed() bool { return r.Counts[Failed] > 0 }

// Markdown renders the report as claims.md.
func (r Report) Markdown(w io.Writer) error {
	fmt.Fprintf(w, "# netconform claims report\n\n%s\n\n", r.Summary())
	if r.Cell != nil {
		fmt.Fprintf(w, "Cluster: %s\n\n", r.Cell)
	}
	fmt.Fprintln(w, "| ID | Claim | Verdict | Evidence |\n|---|---|---|---|")
	for _, row := range r.Rows {
		ev := row.Result.Reason
		if len(row.Result.Evidence) > 0 {
			if ev != "" {
				ev += "<br>"
			}
			ev += strings.Join(row.Result.Evidence, "<br>")
		}
		if len(row.Result.Backends) > 0 {
			ev += "<br>requests per backend: " + backendList(row.Result.Backends)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", row.ID, mdCell(row.Claim.Claim), row.Result.Verdict, mdCell(ev))
	}
	return nil
}

// Summary counts the claims per verdict.
func (r Report) Summary() string { return countsSummary(len(r.Rows), r.Counts) }

func countsSummary(total int, counts map[Verdict]int) string {
	var parts []string
	for _, v := range []Verdict{Confirmed, Refuted, Failed, NotApplicable, NotRun} {
		if n := counts[v]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, v))
		}
	}
	return fmt.Sprintf("%d claims: %s", total, strings.Join(parts, ", "))
}

func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", "<br>").Replace(s)
}

func backendList(m map[string]int) string {
	keys := sortedKeys(m)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// JSON renders the report as claims.json.
func (r Report) JSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteFiles writes claims.md, claims.json and claims.html into dir.
func (r Report) WriteFiles(dir string) error {
	return WriteRendered(dir, map[string]func(io.Writer) error{
		"claims.md": r.Markdown, "claims.json": r.JSON, "claims.html": r.HTML,
	})
}

// WriteRendered writes each file of a report into dir (made if missing)
// from its renderer, by name: the catalogue's, the matrix's and the
// self-test's reports are written the same way.
func WriteRendered(dir string, files map[string]func(io.Writer) error) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, render := range files {
		f, err := os.Create(dir + "/" + name)
		if err != nil {
			return err
		}
		err = render(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	return nil
}

type bar struct {
	Name    string
	Count   int
	Percent float64
}

// HTML renders claims.html: colour by verdict, a bar chart of requests per
// backend for the load-spread claims.
func (r Report) HTML(w io.Writer) error {
	type htmlRow struct {
		Row
		Class string
		Bars  []bar
	}
	var rows []htmlRow
	for _, row := range r.Rows {
		hr := htmlRow{Row: row, Class: strings.ReplaceAll(string(row.Result.Verdict), " ", "-")}
		max := 0
		for _, n := range row.Result.Backends {
			if n > max {
				max = n
			}
		}
		for _, k := range sortedKeys(row.Result.Backends) {
			hr.Bars = append(hr.Bars, bar{Name: k, Count: row.Result.Backends[k], Percent: 100 * float64(row.Result.Backends[k]) / float64(max)})
		}
		rows = append(rows, hr)
	}
	return htmlTemplate.Execute(w, map[string]any{"Summary": r.Summary(), "Cell": r.Cell, "Rows": rows})
}

var htmlTemplate = template.Must(template.New("report").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>netconform claims report</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: .4em .6em; vertical-align: top; text-align: left; font-size: 14px; }
th { background: #f0f0f0; }
td.verdict { font-weight: bold; white-space: nowrap; }
tr.confirmed td.verdict { background: #c8f0c8; }
tr.refuted td.verdict { background: #cfe0ff; }
tr.failed td.verdict { background: #ffc4c4; }
tr.not-applicable td.verdict { background: #eee; color: #555; }
tr.not-run td.verdict { background: #fff3c4; }
.evidence { font-family: ui-monospace, monospace; font-size: 12px; white-space: pre-wrap; }
.bars { margin-top: .5em; }
.bar { display: flex; align-items: center; gap: .5em; font-size: 12px; }
.bar span.name { width: 18em; overflow: hidden; text-overflow: ellipsis; font-family: ui-monospace, monospace; }
.bar div { background: #4a7bd0; height: 1em; }
</style></head><body>
<h1>netconform claims report</h1>
<p>{{.Summary}}</p>
{{if .Cell}}<p>Cluster: {{.Cell}}</p>{{end}}
<table>
<tr><th>ID</th><th>Claim</th><th>Scope</th><th>Verdict</th><th>Evidence</th></tr>
{{range .Rows}}<tr class="{{.Class}}">
<td>{{.ID}}</td><td>{{.Claim.Claim}}</td><td>{{.Scope}}</td><td class="verdict">{{.Result.Verdict}}</td>
<td>{{if .Result.Reason}}<div>{{.Result.Reason}}</div>{{end}}<div class="evidence">{{range .Result.Evidence}}{{.}}
{{end}}</div>{{if .Bars}}<div class="bars">{{range .Bars}}<div class="bar"><span class="name">{{.Name}}</span><div style="width: {{printf "%.0f" .Percent}}%; max-width: 20em"></div><span>{{.Count}}</span></div>{{end}}</div>{{end}}</td>
</tr>{{end}}
</table></body></html>
`))
