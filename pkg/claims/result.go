package claims

// Verdict of a claim, always from what the cluster did (pkg/verdict makes them).
type Verdict string

const (
	Confirmed     Verdict = "confirmed"      // the cluster does what the document says
	Refuted       Verdict = "refuted"        // the document is wrong; the cluster does what Kubernetes specifies
	Failed        Verdict = "failed"         // the cluster does not behave as Kubernetes specifies
	NotApplicable Verdict = "not applicable" // the set-up makes the claim moot (reason detected)
	NotRun        Verdict = "not run"        // the claim's checks did not run (filtered, set-up failed, run stopped, pending)
)

// Result is one claim's outcome in one run.
type Result struct {
	ID       string            `json:"id"`
	Verdict  Verdict           `json:"verdict"`
	Reason   string            `json:"reason,omitempty"` // what decided the verdict
	Evidence []string          `json:"evidence"`
	Backends map[string]int    `json:"backends,omitempty"` // requests per backend, for load-spread claims
	Seconds  float64           `json:"seconds"`
	Labels   map[string]string `json:"labels,omitempty"`
}
