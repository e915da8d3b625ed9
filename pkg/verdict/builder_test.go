package verdict

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/netconform/netconform/pkg/claims"
	"gotest.tools/v3/assert"
	"sigs.k8s.io/e2e-framework/pkg/env"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
)

// The verdicts that a feature run through e2e-framework records, without a
// cluster: a step filtered out (as `-run TestSvc/SVC-04/NoSuchStep` or
// `--assess NoSuchStep` does) leaves the claim not run, never confirmed.
func TestFeatureVerdicts(t *testing.T) {
	results := filepath.Join(t.TempDir(), "results.jsonl")
	t.Setenv("NETCONFORM_RESULTS", results)
	run := func(cfg *envconf.Config, confirm bool) claims.Result {
		assert.NilError(t, os.WriteFile(results, nil, 0o644))
		var chk *Check
		f := Claim("SVC-04", &chk).
			Assess("ServicePort8081ReachesPodPort3000", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
				chk.Evidence("client -> http://app1-service:8081/info = 1/1 ok, arrived on pod port 3000")
				if confirm {
					chk.Confirm("arrived on pod port 3000")
				}
				return ctx
			}).Feature()
		env.NewWithConfig(cfg).Test(t, f)
		fh, err := os.Open(results)
		assert.NilError(t, err)
		defer fh.Close()
		got, err := claims.ReadResults(fh)
		assert.NilError(t, err)
		return got["SVC-04"]
	}
	r := run(envconf.New().WithAssessmentRegex("NoSuchStep"), true)
	assert.Equal(t, r.Verdict, claims.NotRun)
	assert.Assert(t, contains(r.Reason, "no check ran"), r.Reason)

	r = run(envconf.New(), true)
	assert.Equal(t, r.Verdict, claims.Confirmed)
	assert.Equal(t, r.Reason, "arrived on pod port 3000")
}
