//go:build e2e

package envvars

import (
	"context"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// ENV-10: "whenever you create a service, the address of the service will
// be injected as an environment variable to all the Pods that run within
// the same namespace" (document 000).
// MUST: Kubernetes computes a container's environment when it starts, so
// the pod that was running (never restarted) when web-app-service was
// created has none of its variables, while it has those of first-service
// and a pod started after the Service has them: document 000 refuted. The
// document's reading (variables appear in the running pod) is one no
// conformant cluster shows, so that outcome is failed, as is a failed
// control. ENV-05 judges document 001 on the same observation.
func env10(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("ENV-10", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			f.ready(t)
			return ctx
		}).
		Assess("RunningPodsNeverGetANewServicesVariables", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			o := observeStartOrder(ctx, t, chk, f)
			if len(o.earlyVars) > 0 {
				verdict.Errorf(t, "pod %s, running since before %s was created, has its variables %v: a running container's environment changed, which Kubernetes never does", f.early.Pod, svcName, o.earlyVars)
				return ctx
			}
			chk.Refute("pod %s, running in %s when %s was created (started %s, no restart), never got its variables; only pods started after it do (pod %s: WEB_APP_SERVICE_SERVICE_HOST=%s)",
				f.early.Pod, f.ns, svcName, o.started.UTC().Format("15:04:05"), f.late.Pod, o.late)
			return ctx
		}).Feature()
}
