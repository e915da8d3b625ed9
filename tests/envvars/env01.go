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
// services of its namespace.
// MUST: the values are the ClusterIP and the first port.
func env01(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("ENV-01", &chk).
		Assess("HostAndPortVariablesHoldClusterIPAndFirstPort", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			env, err := environment(ctx, f.late)
			if err != nil {
				verdict.Fatal(t, err)
			}
			want := map[string]string{
				"WEB_APP_SERVICE_SERVICE_HOST": f.svc.Spec.ClusterIP,
				"WEB_APP_SERVICE_SERVICE_PORT": fmt.Sprint(f.svc.Spec.Ports[0].Port),
			}
			for k, v := range want {
				chk.Evidence("pod %s/%s: %s=%q (want %q)", f.ns, f.late.Pod, k, env[k], v)
				if env[k] != v {
					verdict.Errorf(t, "%s = %q, want %q", k, env[k], v)
				}
			}
			return ctx
		}).Feature()
}
