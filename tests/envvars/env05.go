//go:build e2e

package envvars

import (
	"context"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// ENV-05: variables are read at start: a service created after the pod is absent.
// MUST: a pod started before the service lacks its variables; a pod started after has them.
func env05(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("ENV-05", &chk).
		Assess("OnlyPodsStartedAfterTheServiceHaveItsVariables", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			early, err := environment(ctx, f.early)
			if err != nil {
				verdict.Fatal(t, err)
			}
			late, err := environment(ctx, f.late)
			if err != nil {
				verdict.Fatal(t, err)
			}
			e, hasEarly := early["WEB_APP_SERVICE_SERVICE_HOST"]
			l, hasLate := late["WEB_APP_SERVICE_SERVICE_HOST"]
			chk.Evidence("pod %s (started before the service): WEB_APP_SERVICE_SERVICE_HOST present=%t %q", f.early.Pod, hasEarly, e)
			chk.Evidence("pod %s (started after the service): WEB_APP_SERVICE_SERVICE_HOST present=%t %q", f.late.Pod, hasLate, l)
			if hasEarly {
				verdict.Errorf(t, "the pod started before the service has its variable")
			}
			if !hasLate {
				verdict.Errorf(t, "the pod started after the service lacks its variable")
			}
			return ctx
		}).Feature()
}
