//go:build e2e

package envvars

import (
	"context"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// ENV-05: variables are read at start: a service created after the pod is
// absent (document 001).
// MUST: the pod that was running (never restarted) when web-app-service was
// created has none of its variables, while it has those of first-service
// (created before it) and a pod started after the Service has them:
// confirmed. Variables in the running pod, or a failed control: failed.
// ENV-10 judges document 000 on the same observation.
func env05(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("ENV-05", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			f.ready(t)
			return ctx
		}).
		Assess("OnlyPodsStartedAfterTheServiceHaveItsVariables", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			o := observeStartOrder(ctx, t, chk, f)
			if len(o.earlyVars) > 0 {
				verdict.Errorf(t, "pod %s, running since before %s was created, has its variables %v: a running container's environment changed", f.early.Pod, svcName, o.earlyVars)
				return ctx
			}
			chk.Confirm("pod %s, started before %s, has none of its variables (but FIRST_SERVICE_SERVICE_HOST=%s of a Service older than it); pod %s, started after, has WEB_APP_SERVICE_SERVICE_HOST=%s",
				f.early.Pod, svcName, o.first, f.late.Pod, o.late)
			return ctx
		}).Feature()
}
