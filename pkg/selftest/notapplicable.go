package selftest

import "strings"

// notApplicableDetections lists, by fault, the claims for which becoming
// not applicable is the right answer: the fault removes the claim's
// precondition, and the claim detects that and says so. Anywhere else a
// claim that turns not applicable under a fault has missed it.
var notApplicableDetections = map[string][]string{
	// Pod records off: DNS-12 and DNS-20 are about pod records, and say
	// "CoreDNS with `pods disabled`".
	"coredns-without-pod-records": {"DNS-12", "DNS-20"},
}

// NotApplicableDetects reports whether claim becoming not applicable
// under fault is a detection.
func NotApplicableDetects(fault, claim string) bool {
	for _, id := range notApplicableDetections[fault] {
		if id == claim {
			return true
		}
	}
	return false
}

// setUpDetections lists, by fault, what the set-up of a claim reports when
// it saw that fault through the API: it waits there for what the claim
// needs (the Service's endpoints), never through the path the claim
// tests, and stops, so the claim is not run with a reason that names the
// broken mechanism. Under that fault, and with that reason, not run is a
// detection; anywhere else it is a miss.
var setUpDetections = map[string]string{
	// The Service's EndpointSlices never list its ready pods.
	"endpointslice-controller-stopped": "ready endpoints",
}

// SetUpDetects reports whether a claim not run for reason under fault saw
// the fault in its set-up.
func SetUpDetects(fault, reason string) bool {
	want := setUpDetections[fault]
	return want != "" && strings.HasPrefix(reason, "set-up failed") && strings.Contains(reason, want)
}
