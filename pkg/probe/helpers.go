package probe

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Parse decodes one probe JSON result. Surrounding whitespace is ignored.
func Parse[T any](b []byte) (T, error) {
	var v T
	if err := json.Unmarshal(bytes.TrimSpace(b), &v); err != nil {
		s := string(b)
		if len(s) > 512 {
			s = s[:512] + "..."
		}
		return v, fmt.Errorf("parse %T: %w (input %q)", v, err, s)
	}
	return v, nil
}

// ParseHTTPResult decodes the output of `probe http`.
func ParseHTTPResult(b []byte) (HTTPResult, error) { return Parse[HTTPResult](b) }

// ParseDialResult decodes the output of `probe dial`.
func ParseDialResult(b []byte) (DialResult, error) { return Parse[DialResult](b) }

// ParseDNSResult decodes the output of `probe dns`.
func ParseDNSResult(b []byte) (DNSResult, error) { return Parse[DNSResult](b) }

// Backends returns the hostnames that answered, sorted.
func (r HTTPResult) Backends() []string { return sortedKeys(r.BackendCounts) }

// AllOK reports whether every try got a 2xx.
func (r HTTPResult) AllOK() bool { return r.Tries > 0 && r.OK == r.Tries }

// Backends returns the hostnames that answered, sorted.
func (r DialResult) Backends() []string { return sortedKeys(r.BackendCounts) }

// AllOK reports whether every try got a reply.
func (r DialResult) AllOK() bool { return r.Tries > 0 && r.OK == r.Tries }

// Answered reports whether some candidate name had answers of the type asked.
func (r DNSResult) Answered() bool { return len(r.Answers) > 0 }

// NXDomain reports whether the name does not exist under any candidate.
func (r DNSResult) NXDomain() bool { return r.RCode == "NXDOMAIN" }

// Add records failure of try number try.
func (s *ErrorStats) Add(try int, kind, msg string) {
	s.ErrorCount++
	switch kind {
	case KindRefused:
		s.Refused++
	case KindTimeout:
		s.Timeouts++
	case KindUnreachable:
		s.Unreachable++
	}
	s.keepError(TryError{Try: try, Kind: kind, Error: msg})
}

// keepError keeps e unless MaxErrors are kept or its message is.
func (s *ErrorStats) keepError(e TryError) {
	if len(s.Errors) >= MaxErrors {
		return
	}
	for _, k := range s.Errors {
		if k.Error == e.Error {
			return
		}
	}
	s.Errors = append(s.Errors, e)
}

// BackendFromBody extracts the hostname of the server that produced an HTTP
// body: the "/" text, a JSON object with "hostname", or a bare hostname
// (e.g. /hostname). It returns "" when none applies.
func BackendFromBody(body string) string {
	if i := strings.Index(body, HostPrefix); i >= 0 {
		rest := body[i+len(HostPrefix):]
		if j := strings.IndexAny(rest, "\r\n"); j >= 0 {
			rest = rest[:j]
		}
		return strings.TrimSpace(rest)
	}
	t := strings.TrimSpace(body)
	if strings.HasPrefix(t, "{") {
		var v struct {
			Hostname string `json:"hostname"`
		}
		if json.Unmarshal([]byte(t), &v) != nil {
			return ""
		}
		return v.Hostname
	}
	if isHostname(t) {
		return t
	}
	return ""
}

func isHostname(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '.' || c == '_'
		if !ok {
			return false
		}
	}
	return true
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Merge adds the tries of o (a later batch against the same URL) to r.
// Try numbers of o's errors are shifted to follow r's.
func (r *HTTPResult) Merge(o HTTPResult) {
	if r.URL == "" {
		r.URL = o.URL
	}
	offset := r.Tries
	r.Tries += o.Tries
	r.OK += o.OK
	r.BackendCounts = addCounts(r.BackendCounts, o.BackendCounts)
	r.Statuses = addCounts(r.Statuses, o.Statuses)
	if o.Body != "" {
		r.Body = o.Body
	}
	r.ErrorCount += o.ErrorCount
	r.Refused += o.Refused
	r.Timeouts += o.Timeouts
	r.Unreachable += o.Unreachable
	for _, e := range o.Errors {
		r.keepError(TryError{Try: e.Try + offset, Kind: e.Kind, Error: e.Error})
	}
}

func addCounts[K comparable](a, b map[K]int) map[K]int {
	if a == nil && len(b) > 0 {
		a = map[K]int{}
	}
	for k, v := range b {
		a[k] += v
	}
	return a
}

// SampleFile is the content `probe http --sample-bytes N` uploads: N bytes
// that look random (a SHA-256 counter stream) and are the same everywhere,
// so a test can check what arrived without shipping a file into the pod.
func SampleFile(n int) []byte {
	out := make([]byte, 0, n+sha256.Size)
	var block [8]byte
	for i := uint64(0); len(out) < n; i++ {
		binary.BigEndian.PutUint64(block[:], i)
		sum := sha256.Sum256(block[:])
		out = append(out, sum[:]...)
	}
	return out[:n]
}
