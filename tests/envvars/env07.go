//go:build e2e

package envvars

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// ENV-07: a client can reach the service through the variables.
// MUST: a Job requesting http://${SVC_SERVICE_HOST}:${SVC_SERVICE_PORT} gets an answer.
func env07(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("ENV-07", &chk).
		Assess("JobReachesTheServiceThroughItsVariables", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			// The Service must have a ready endpoint before the Job's one look.
			if _, err := world.WaitHTTP(ctx, f.late, fmt.Sprintf("http://%s/", svcName), time.Minute); err != nil {
				verdict.Fatal(t, err)
			}
			url := "http://$(WEB_APP_SERVICE_SERVICE_HOST):$(WEB_APP_SERVICE_SERVICE_PORT)/"
			job := world.ProbeJob(f.ns, "env-client", nil, "http", "--url", url, "--tries", "3")
			out, err := world.RunJob(ctx, f.c, job, 2*time.Minute)
			if err != nil {
				verdict.Fatal(t, err)
			}
			r, err := probe.ParseHTTPResult([]byte(out))
			if err != nil {
				verdict.Fatal(t, err)
			}
			chk.Evidence("job %s/env-client -> %s (expanded: %s) = %s", f.ns, url, r.URL, world.HTTPSummary(r))
			if r.OK == 0 || r.BackendCounts["server"] == 0 {
				verdict.Errorf(t, "the Job did not reach %s through its variables: %s", svcName, world.HTTPSummary(r))
			}
			return ctx
		}).Feature()
}
