package probe

import (
	"bytes"
	"fmt"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestBackendFromBody(t *testing.T) {
	cases := map[string]string{
		HostPrefix + "pod-a\n":          "pod-a",
		"  web-7d9f-x2k \n":             "web-7d9f-x2k",
		`{"hostname":"pod-b","size":3}`: "pod-b",
		`{"nohost":1}`:                  "",
		"<html>not found</html>":        "",
		"":                              "",
		"prefix\n" + HostPrefix + "pod-c\r\nmore": "pod-c",
	}
	for body, want := range cases {
		assert.Equal(t, BackendFromBody(body), want, "body %q", body)
	}
}

func TestParseHTTPResultBackendsSorted(t *testing.T) {
	r, err := ParseHTTPResult([]byte(`{"url":"http://x","tries":3,"ok":3,
		"backends":{"pod-b":1,"pod-a":2},"statuses":{"200":3},"errors":null}` + "\n"))
	assert.NilError(t, err)
	assert.DeepEqual(t, r.Backends(), []string{"pod-a", "pod-b"})
	assert.Equal(t, r.Statuses[200], 3)
	assert.Assert(t, r.AllOK())

	_, err = ParseDNSResult([]byte("error: not json"))
	assert.ErrorContains(t, err, "not json")
}

func TestErrorStatsAdd(t *testing.T) {
	var s ErrorStats
	for i := 1; i <= 30; i++ {
		s.Add(i, KindRefused, "connection refused")
		s.Add(i, KindTimeout, fmt.Sprintf("timeout %d", i))
	}
	assert.Equal(t, s.ErrorCount, 60)
	assert.Equal(t, s.Refused, 30)
	assert.Equal(t, s.Timeouts, 30)
	assert.Assert(t, is.Len(s.Errors, MaxErrors))
	assert.Equal(t, s.Errors[0].Error, "connection refused")
}

func TestHTTPResultMerge(t *testing.T) {
	var sum HTTPResult
	sum.Merge(HTTPResult{URL: "http://a", Tries: 10, OK: 9, BackendCounts: map[string]int{"p1": 9}, Statuses: map[int]int{200: 9},
		ErrorStats: ErrorStats{ErrorCount: 1, Refused: 1, Errors: []TryError{{Try: 4, Kind: KindRefused, Error: "refused"}}}})
	sum.Merge(HTTPResult{URL: "http://a", Tries: 10, OK: 8, BackendCounts: map[string]int{"p1": 3, "p2": 5}, Statuses: map[int]int{200: 8},
		ErrorStats: ErrorStats{ErrorCount: 2, Timeouts: 2, Errors: []TryError{{Try: 2, Kind: KindTimeout, Error: "timeout"}}}})
	assert.Equal(t, sum.URL, "http://a")
	assert.Equal(t, sum.Tries, 20)
	assert.Equal(t, sum.OK, 17)
	assert.DeepEqual(t, sum.BackendCounts, map[string]int{"p1": 12, "p2": 5})
	assert.DeepEqual(t, sum.Statuses, map[int]int{200: 17})
	assert.Equal(t, sum.ErrorCount, 3)
	assert.Equal(t, sum.Refused, 1)
	assert.Equal(t, sum.Timeouts, 2)
	assert.DeepEqual(t, sum.Errors, []TryError{{Try: 4, Kind: KindRefused, Error: "refused"}, {Try: 12, Kind: KindTimeout, Error: "timeout"}})
}

func TestSampleFileIsDeterministicAndSized(t *testing.T) {
	a, b := SampleFile(65536), SampleFile(65536)
	assert.Equal(t, len(a), 65536)
	assert.DeepEqual(t, a, b)
	assert.DeepEqual(t, SampleFile(100), a[:100])
	assert.Assert(t, !bytes.Equal(a[:32], a[32:64]), "blocks differ")
}
