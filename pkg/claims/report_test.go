package claims

import (
	"bytes"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

func TestReportJoinsCatalogueAndResults(t *testing.T) {
	lines := `{"id":"DNS-07","verdict":"refuted","reason":"svc.ns.cluster.local -> NXDOMAIN","evidence":["a -> b = NXDOMAIN"]}
{"id":"SVC-07","verdict":"failed","evidence":[]}
{"id":"SVC-07","verdict":"confirmed","backends":{"web-1":40,"web-2":35,"web-3":45},"evidence":["60 requests"]}
`
	res, err := ReadResults(strings.NewReader(lines))
	assert.NilError(t, err)
	rep := Build(res)
	assert.Equal(t, len(rep.Rows), len(All()))
	assert.Equal(t, rep.Counts[Refuted], 1)
	assert.Equal(t, rep.Counts[Confirmed], 1, "a later line replaces an earlier one")
	assert.Equal(t, rep.Counts[NotRun], len(All())-2)
	assert.Assert(t, !rep.Failed())

	var md, html bytes.Buffer
	assert.NilError(t, rep.Markdown(&md))
	assert.Assert(t, strings.Contains(md.String(), "| DNS-07 | `svc.ns.cluster.local` resolves | refuted | svc.ns.cluster.local -> NXDOMAIN"), md.String())
	assert.NilError(t, rep.HTML(&html))
	assert.Assert(t, strings.Contains(html.String(), `<tr class="refuted">`))
	assert.Assert(t, strings.Contains(html.String(), "web-3"))
	assert.Assert(t, strings.Contains(html.String(), "width: 100%"), "largest backend has the full bar")
}
