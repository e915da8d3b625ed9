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

// ENV-03: Docker-link variables are injected too (document 000).
// MUST: {SVC}_PORT=tcp://IP:firstport, and per service port p:
// {SVC}_PORT_{p}_TCP=tcp://IP:p, _PROTO=tcp, _PORT=p, _ADDR=IP, all
// present with these values: confirmed; any missing or different: failed.
func env03(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("ENV-03", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			f.ready(t)
			return ctx
		}).
		Assess("DockerLinkVariablesForEveryPort", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			env, err := f.env(ctx, f.late)
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
			bad := 0
			for _, k := range sortedKeys(want) {
				chk.Evidence("pod %s: %s=%q", f.late.Pod, k, env[k])
				if env[k] != want[k] {
					verdict.Errorf(t, "%s = %q, want %q", k, env[k], want[k])
					bad++
				}
			}
			if bad == 0 {
				chk.Confirm("pod %s has all %d Docker-link variables of %s's %d ports, e.g. WEB_APP_SERVICE_PORT=%s",
					f.late.Pod, len(want), svcName, len(f.svc.Spec.Ports), env["WEB_APP_SERVICE_PORT"])
			}
			return ctx
		}).Feature()
}
