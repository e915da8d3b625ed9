package selftest

import (
	"testing"

	"github.com/netconform/netconform/pkg/claims"
	"gotest.tools/v3/assert"
)

// synthetic facts: DNS-* rest on cluster-dns, ENV-01 on service-env,
// SVC-01 on clusterip; anything else on nothing.
func facts(id string) (claims.Facts, bool) {
	switch {
	case id == "ENV-01":
		return claims.Facts{Rests: []claims.Mechanism{claims.ServiceEnv}}, true
	case id == "SVC-01":
		return claims.Facts{Rests: []claims.Mechanism{claims.ClusterIP, claims.ClusterDNS}}, true
	case len(id) > 4 && id[:4] == "DNS-":
		return claims.Facts{Rests: []claims.Mechanism{claims.ClusterDNS, claims.DNSPodRecords}}, true
	}
	return claims.Facts{}, false
}

func run(verdicts ...string) map[string]claims.Result {
	out := map[string]claims.Result{}
	for i := 0; i+1 < len(verdicts); i += 2 {
		out[verdicts[i]] = claims.Result{ID: verdicts[i], Verdict: claims.Verdict(verdicts[i+1]), Reason: "because " + verdicts[i+1]}
	}
	return out
}

func changeIDs(cs []Change) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func TestCompareSortsEveryClaimIntoOneBucket(t *testing.T) {
	healthy := run(
		"DNS-01", "confirmed", "DNS-02", "confirmed", "DNS-03", "refuted", "DNS-04", "refuted",
		"DNS-05", "confirmed", "DNS-10", "not applicable", "DNS-11", "failed",
		"SVC-01", "confirmed", "ENV-01", "confirmed", "POD-01", "confirmed")
	faulted := run(
		"DNS-01", "failed", // detected
		"DNS-02", "refuted", // detected: turned over
		"DNS-03", "confirmed", // detected: turned over the other way
		"DNS-04", "refuted", // missed: unchanged
		"DNS-05", "not run", // missed: not run is no detection
		"DNS-10", "failed", // not judged when healthy
		"DNS-11", "failed", // not judged when healthy
		"SVC-01", "failed", // detected: rests on cluster-dns too
		"ENV-01", "failed", // unrelated
		// POD-01 missing: not run, unrelated change
	)
	d := Compare("coredns-scaled-to-0", []claims.Mechanism{claims.ClusterDNS}, healthy, faulted, facts)
	assert.DeepEqual(t, d.Expected, []string{"SVC-01", "DNS-01", "DNS-02", "DNS-03", "DNS-04", "DNS-05"})
	assert.DeepEqual(t, changeIDs(d.Detected), []string{"SVC-01", "DNS-01", "DNS-02", "DNS-03"})
	assert.DeepEqual(t, changeIDs(d.Missed), []string{"DNS-04", "DNS-05"})
	assert.DeepEqual(t, changeIDs(d.Unrelated), []string{"POD-01", "ENV-01"})
	assert.DeepEqual(t, changeIDs(d.NotJudged), []string{"DNS-10", "DNS-11"})
	assert.Equal(t, d.Unrelated[0].To, claims.NotRun)
	assert.Equal(t, d.Unrelated[0].Reason, "no result in this run")
	detected, expected := d.Score()
	assert.Equal(t, [2]int{detected, expected}, [2]int{4, 6})
}

// Not applicable is a detection only where the fault removes the claim's
// precondition (the allow-list) and the claim says why.
func TestNotApplicableCountsOnlyWhereAllowed(t *testing.T) {
	healthy := run("DNS-12", "confirmed", "DNS-13", "confirmed", "DNS-20", "confirmed")
	faulted := run("DNS-12", "not applicable", "DNS-13", "not applicable", "DNS-20", "not applicable")
	noReason := faulted["DNS-20"]
	noReason.Reason = ""
	faulted["DNS-20"] = noReason

	d := Compare("coredns-without-pod-records", []claims.Mechanism{claims.DNSPodRecords}, healthy, faulted, facts)
	assert.DeepEqual(t, changeIDs(d.Detected), []string{"DNS-12"})
	assert.DeepEqual(t, changeIDs(d.Missed), []string{"DNS-13", "DNS-20"})

	d = Compare("coredns-scaled-to-0", []claims.Mechanism{claims.ClusterDNS}, healthy, faulted, facts)
	assert.Equal(t, len(d.Detected), 0, "not applicable is no detection under a fault that does not remove the precondition")
}

func TestSetUpNotRunCountsOnlyWithItsFaultAndReason(t *testing.T) {
	healthy := run("SVC-01", "confirmed", "ENV-01", "confirmed")
	faulted := map[string]claims.Result{
		"SVC-01": {ID: "SVC-01", Verdict: claims.NotRun, Reason: "set-up failed before any check: 1 ready endpoints of ns/web: not reached within 1m0s"},
		"ENV-01": {ID: "ENV-01", Verdict: claims.NotRun, Reason: "set-up failed before any check: pod web not ready"},
	}
	facts := func(string) (claims.Facts, bool) {
		return claims.Facts{Rests: []claims.Mechanism{claims.EndpointSlices}}, true
	}
	d := Compare("endpointslice-controller-stopped", []claims.Mechanism{claims.EndpointSlices}, healthy, faulted, facts)
	assert.DeepEqual(t, changeIDs(d.Detected), []string{"SVC-01"})
	// A set-up that failed for another reason did not see the fault.
	assert.DeepEqual(t, changeIDs(d.Missed), []string{"ENV-01"})

	d = Compare("kube-proxy-removed", []claims.Mechanism{claims.EndpointSlices}, healthy, faulted, facts)
	assert.Equal(t, len(d.Detected), 0, "not run counts only under the fault its reason names")
}

func TestUnchangedRunIsAllMissedAndNothingUnrelated(t *testing.T) {
	healthy := run("DNS-01", "confirmed", "ENV-01", "confirmed")
	d := Compare("coredns-scaled-to-0", []claims.Mechanism{claims.ClusterDNS}, healthy, healthy, facts)
	assert.DeepEqual(t, changeIDs(d.Missed), []string{"DNS-01"})
	assert.Equal(t, len(d.Unrelated), 0)
}

func TestStabilityListsEveryDifference(t *testing.T) {
	first := run("DNS-01", "confirmed", "ENV-01", "refuted", "POD-01", "not applicable")
	again := run("DNS-01", "confirmed", "ENV-01", "failed", "POD-02", "confirmed")
	got := Stability(first, again)
	assert.DeepEqual(t, got, []Change{
		{ID: "POD-01", From: claims.NotApplicable, To: claims.NotRun, Reason: "no result in this run"},
		{ID: "POD-02", From: claims.NotRun, To: claims.Confirmed, Reason: "because confirmed"},
		{ID: "ENV-01", From: claims.Refuted, To: claims.Failed, Reason: "because failed"},
	})
	assert.Equal(t, len(Stability(first, first)), 0)
}
