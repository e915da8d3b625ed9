//go:build e2e

package envvars

import (
	"context"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// ENV-02: the service name is upper-cased and `-` becomes `_`
// (web-app-service → WEB_APP_SERVICE_SERVICE_HOST), as document 000 says.
// (Document 001's dashed spelling is ENV-11.)
// MUST: a pod started after web-app-service has WEB_APP_SERVICE_SERVICE_HOST
// holding the Service's ClusterIP: confirmed; absent or another value: failed.
func env02(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("ENV-02", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			f.ready(t)
			return ctx
		}).
		Assess("NamesAreUpperCasedWithUnderscores", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			env, err := f.env(ctx, f.late)
			if err != nil {
				verdict.Fatal(t, err)
			}
			const name = "WEB_APP_SERVICE_SERVICE_HOST"
			chk.Evidence("service %s/%s (clusterIP %s): variables %v", f.ns, svcName, f.svc.Spec.ClusterIP, withPrefix(env, "WEB_APP_SERVICE_"))
			got, ok := env[name]
			switch {
			case !ok:
				verdict.Errorf(t, "pod %s has no %s: the upper-cased, underscored name of %s is missing", f.late.Pod, name, svcName)
			case got != f.svc.Spec.ClusterIP:
				verdict.Errorf(t, "pod %s: %s=%q, want the ClusterIP %s", f.late.Pod, name, got, f.svc.Spec.ClusterIP)
			default:
				chk.Confirm("service %q is named %s in pod %s, holding its ClusterIP %s", svcName, name, f.late.Pod, got)
			}
			return ctx
		}).Feature()
}
