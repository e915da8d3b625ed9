package selftest

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
