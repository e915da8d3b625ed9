//go:build e2e

package envvars

import (
	"context"
	"fmt"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// ENV-01: each pod gets {SVC}_SERVICE_HOST and {SVC}_SERVICE_PORT for the
// services of its namespace (documents 000 and 001).
// MUST: in a pod started after web-app-service, WEB_APP_SERVICE_SERVICE_HOST
// is the Service's ClusterIP and WEB_APP_SERVICE_SERVICE_PORT its first
// port: confirmed; a missing or different value is failed.
func env01(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("ENV-01", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			f.ready(t)
			return ctx
		}).
		Assess("HostAndPortVariablesHoldClusterIPAndFirstPort", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			env, err := f.env(ctx, f.late)
			if err != nil {
				verdict.Fatal(t, err)
			}
			want := map[string]string{
				"WEB_APP_SERVICE_SERVICE_HOST": f.svc.Spec.ClusterIP,
				"WEB_APP_SERVICE_SERVICE_PORT": fmt.Sprint(f.svc.Spec.Ports[0].Port),
			}
			bad := 0
			for _, k := range sortedKeys(want) {
				chk.Evidence("pod %s/%s: %s=%q (want %q)", f.ns, f.late.Pod, k, env[k], want[k])
				if env[k] != want[k] {
					verdict.Errorf(t, "%s = %q, want %q", k, env[k], want[k])
					bad++
				}
			}
			if bad == 0 {
				chk.Confirm("pod %s: WEB_APP_SERVICE_SERVICE_HOST=%s (the ClusterIP), WEB_APP_SERVICE_SERVICE_PORT=%s (the first port)",
					f.late.Pod, env["WEB_APP_SERVICE_SERVICE_HOST"], env["WEB_APP_SERVICE_SERVICE_PORT"])
			}
			return ctx
		}).Feature()
}
