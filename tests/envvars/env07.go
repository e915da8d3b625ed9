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

// ENV-07: a client can reach the service through the variables (document 000).
// MUST: a Job requesting http://${WEB_APP_SERVICE_SERVICE_HOST}:${WEB_APP_SERVICE_SERVICE_PORT}/
// is answered by the server behind web-app-service: confirmed; no answer
// within world.ReachBound: failed. The set-up waits through the API (the
// server pod ready, the Service's EndpointSlice listing it), never through
// DNS or the ClusterIP, which are not what this claim is about; the Job
// itself is run again until it is answered, since a new Service's rules
// may reach the nodes a moment after its endpoints. The server is on the
// first node and the Jobs on the last (the self-test's same-node fault
// failed it once when a Job landed beside the server).
func env07(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("ENV-07", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			f.ready(t)
			if _, err := f.c.WaitPodsReady(ctx, f.ns, "app=server", 1, 2*time.Minute); err != nil {
				verdict.Fatal(t, err)
			}
			if err := world.WaitEndpoints(ctx, f.c, f.ns, svcName, 1); err != nil {
				verdict.Fatal(t, err)
			}
			return ctx
		}).
		Assess("JobReachesTheServiceThroughItsVariables", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			url := "http://$(WEB_APP_SERVICE_SERVICE_HOST):$(WEB_APP_SERVICE_SERVICE_PORT)/"
			want := fmt.Sprintf("http://%s:%d/", f.svc.Spec.ClusterIP, f.svc.Spec.Ports[0].Port)
			// The bound is on the cluster (rules programmed within ReachBound),
			// so a Job started before it may be followed by another, however
			// long the Job itself took to schedule on a busy machine.
			deadline := time.Now().Add(world.ReachBound)
			for attempt := 1; ; attempt++ {
				late := time.Now().After(deadline)
				name := fmt.Sprintf("env-client-%d", attempt)
				job := world.ProbeJob(f.ns, name, nil, "http", "--url", url, "--tries", "3", "--timeout", "1s")
				job.Spec.Template.Spec.NodeName = f.jobNode
				out, err := world.RunJob(ctx, f.c, job, 2*time.Minute)
				var r probe.HTTPResult
				if err == nil {
					r, err = probe.ParseHTTPResult([]byte(out))
				}
				switch {
				case err != nil:
					// The Job did not run or printed no result: a probe failure, not an answer.
					chk.Evidence("job %s/%s: probe failure: %v", f.ns, name, err)
				default:
					chk.Evidence("job %s/%s on %s (server on %s) -> %s (expanded: %s) = %s", f.ns, name, f.jobNode, f.serverNode, url, r.URL, world.HTTPSummary(r))
					if r.URL != want {
						verdict.Fatalf(t, "the Job's variables expanded to %s, want %s (the ClusterIP and first port)", r.URL, want)
					}
					if r.OK > 0 && r.BackendCounts["server"] > 0 {
						chk.Confirm("job %s expanded %s to %s and was answered by pod server (%s)", name, url, r.URL, world.HTTPSummary(r))
						return ctx
					}
				}
				if late {
					verdict.Fatalf(t, "no Job started within %s reached %s through its variables (%d Jobs); last: %s", world.ReachBound, svcName, attempt, lastSeen(r, err))
				}
			}
		}).Feature()
}

func lastSeen(r probe.HTTPResult, err error) string {
	if err != nil {
		return "probe failure: " + err.Error()
	}
	return world.HTTPSummary(r)
}
