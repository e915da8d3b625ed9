package claims

import (
	"html/template"
	"io"
	"strings"
)

// HTML renders matrix.html: claims as rows, cells as columns, coloured by
// verdict (the same colours as claims.html), the reason on hover, each
// column linked to its cell's own report with the evidence.
func (m Matrix) HTML(w io.Writer) error {
	type htmlCell struct {
		Text, Class, Title string
	}
	type htmlRow struct {
		MatrixRow
		Verdicts []htmlCell
	}
	var rows []htmlRow
	for _, row := range m.Rows {
		hr := htmlRow{MatrixRow: row}
		for i, v := range row.Cells {
			ran := m.Cells[i].Ran()
			class := strings.ReplaceAll(string(v.Verdict), " ", "-")
			if !ran {
				class = "no-cell"
			}
			hr.Verdicts = append(hr.Verdicts, htmlCell{Text: short(v.Verdict, ran), Class: class, Title: v.Reason})
		}
		rows = append(rows, hr)
	}
	return matrixTemplate.Execute(w, map[string]any{"M": m, "Summary": m.Summary(), "Problems": m.Problems(), "Rows": rows})
}

var matrixTemplate = template.Must(template.New("matrix").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>netconform matrix report</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: .3em .5em; vertical-align: top; text-align: left; font-size: 13px; }
th { background: #f0f0f0; font-weight: normal; }
th.cell { white-space: nowrap; }
td.v { font-weight: bold; white-space: nowrap; text-align: center; }
td.confirmed { background: #c8f0c8; }
td.refuted { background: #cfe0ff; }
td.failed { background: #ffc4c4; }
td.not-applicable { background: #eee; color: #555; }
td.not-run { background: #fff3c4; }
td.no-cell { background: #fafafa; color: #aaa; }
tr.varies td.id { border-left: 4px solid #e0a000; }
pre { background: #f6f6f6; padding: .6em; white-space: pre-wrap; }
li { margin: .2em 0; }
</style></head><body>
<h1>netconform matrix report</h1>
<p>{{.Summary}}</p>
<h2>Cells</h2>
<ol>{{range .M.Cells}}<li>{{.Header}}{{if not .Error}} (<a href="{{.Name}}/report/claims.html">claims report</a>){{end}}</li>{{end}}</ol>
{{if .Problems}}<h2>Problems</h2><ul>{{range .Problems}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{range .M.Cells}}{{if .Error}}<h3>{{.Cell}}: could not run</h3><pre>{{.Error}}</pre>{{end}}{{end}}
<h2>Claims</h2>
<p>A bar on the left: the cells that ran disagree. Hover a verdict for its reason.</p>
<table>
<tr><th>ID</th><th>Claim</th>{{range .M.Cells}}<th class="cell"><a href="{{.Name}}/report/claims.html">{{.Cell.K8sVersion}}<br>{{.Cell.CNI}}<br>{{.Cell.ProxyMode}}<br>{{.Cell.IPFamily}}</a></th>{{end}}</tr>
{{range .Rows}}<tr{{if .Varies}} class="varies"{{end}}><td class="id">{{.ID}}</td><td>{{.Claim.Claim}}</td>{{range .Verdicts}}<td class="v {{.Class}}" title="{{.Title}}">{{.Text}}</td>{{end}}</tr>
{{end}}</table></body></html>
`))
