// Package probe defines the JSON results printed by the probe test binary
// (fixtures/testimage) so the e2e suite can decode exactly what it printed.
//
// Domain names in DNS results are absolute, with a trailing dot.
package probe

// Error kinds used in TryError.Kind; tests assert on the kind, not the text,
// because error messages differ between kernels and CNIs.
const (
	KindRefused     = "refused"
	KindTimeout     = "timeout"
	KindUnreachable = "unreachable"
	KindOther       = "other"
)

// MaxErrors bounds ErrorStats.Errors so a 1000-try run stays readable.
const MaxErrors = 20

// HostPrefix starts the body served at "/" by `probe serve`.
const HostPrefix = "This request was processed by host: "

// TryError is one failed try (tries are numbered from 1).
type TryError struct {
	Try   int    `json:"try"`
	Kind  string `json:"kind"`
	Error string `json:"error"`
}

// ErrorStats counts failures; Errors keeps the first MaxErrors distinct
// messages while ErrorCount and the per-kind counters count every failure.
type ErrorStats struct {
	Errors      []TryError `json:"errors"`
	ErrorCount  int        `json:"error_count"`
	Refused     int        `json:"refused"`
	Timeouts    int        `json:"timeouts"`
	Unreachable int        `json:"unreachable"`
}

// HTTPResult is printed by `probe http`.
type HTTPResult struct {
	URL   string `json:"url"`
	Tries int    `json:"tries"`
	OK    int    `json:"ok"` // 2xx responses
	// BackendCounts maps the hostname that answered to its count.
	BackendCounts map[string]int `json:"backends"`
	Statuses      map[int]int    `json:"statuses"`
	Body          string         `json:"body"` // last body, at most 4 KiB
	ErrorStats
}

// DialResult is printed by `probe dial`.
type DialResult struct {
	Proto string `json:"proto"`
	Addr  string `json:"addr"`
	Tries int    `json:"tries"`
	OK    int    `json:"ok"`
	// BackendCounts maps the first word of each reply (the echo server's
	// hostname) to its count.
	BackendCounts map[string]int `json:"backends"`
	Replies       []string       `json:"replies"` // up to 5 distinct
	ErrorStats
}

// DNSAttempt is one query of one search-list candidate.
type DNSAttempt struct {
	FQDN    string   `json:"fqdn"`
	Server  string   `json:"server"`
	RCode   string   `json:"rcode"` // "NOERROR", "NXDOMAIN", ...; "" when no reply
	Answers []string `json:"answers"`
	CNAMEs  []string `json:"cnames,omitempty"`
	Error   string   `json:"error,omitempty"`
}

// DNSResult is printed by `probe dns`. Answers are IPs for A/AAAA,
// "priority weight port target" for SRV, and target names for CNAME/PTR.
type DNSResult struct {
	Name         string       `json:"name"`
	Type         string       `json:"type"`
	Server       string       `json:"server"`
	Attempts     []DNSAttempt `json:"attempts"`
	AnsweredFQDN string       `json:"answered_fqdn"`
	RCode        string       `json:"rcode"`
	Answers      []string     `json:"answers"`
	CNAMEs       []string     `json:"cnames"`
	Error        string       `json:"error,omitempty"`
}

// Info is served at /info.
type Info struct {
	Hostname string `json:"hostname"`
	Client   string `json:"client"` // remote ip:port as the server saw it
	Local    string `json:"local"`  // local ip:port of the accepted connection
	Port     int    `json:"port"`   // listening port
	PodIP    string `json:"podIP,omitempty"`
}

// UploadResult is served by POST /upload.
type UploadResult struct {
	Hostname string `json:"hostname"`
	Filename string `json:"filename"`
	Size     int64  `json:"size"`
	SHA256   string `json:"sha256"`
}

// FanoutResponse is one downstream call made by POST /fanout.
type FanoutResponse struct {
	URL    string `json:"url"`
	Status int    `json:"status"`
	Body   string `json:"body"` // at most 1 KiB so the result fits HTTPResult.Body
	Error  string `json:"error,omitempty"`
}

// FanoutResult is served by POST /fanout.
type FanoutResult struct {
	Hostname  string           `json:"hostname"`
	Responses []FanoutResponse `json:"responses"`
}
