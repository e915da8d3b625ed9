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

// ENV-03: Docker-link variables are injected too.
// MUST: {SVC}_PORT=tcp://IP:firstport, and per service port p:
// {SVC}_PORT_{p}_TCP=tcp://IP:p, _PROTO=tcp, _PORT=p, _ADDR=IP.
func env03(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("ENV-03", &chk).
		Assess("DockerLinkVariablesForEveryPort", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			env, err := environment(ctx, f.late)
			if err != nil {
				verdict.Fatal(t, err)
			}
			ip := f.svc.Spec.ClusterIP
			want := map[string]string{"WEB_APP_SERVICE_PORT": fmt.Sprintf("tcp://%s:%d", ip, f.svc.Spec.Ports[0].Port)}
			for _, p := range f.svc.Spec.Ports {
				prefix := fmt.Sprintf("WEB_APP_SERVICE_PORT_%d_TCP", p.Port)
				want[prefix] = fmt.Sprintf("tcp://%s:%d", ip, p.Port)
				want[prefix+"_PROTO"] = "tcp"
				want[prefix+"_PORT"] = fmt.Sprint(p.Port)
				want[prefix+"_ADDR"] = ip
			}
			for _, k := range sortedKeys(want) {
				chk.Evidence("%s=%q", k, env[k])
				if env[k] != want[k] {
					verdict.Errorf(t, "%s = %q, want %q", k, env[k], want[k])
				}
			}
			return ctx
		}).Feature()
}
