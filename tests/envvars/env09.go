//go:build e2e

package envvars

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// ENV-09: named service ports get {SVC}_SERVICE_PORT_{NAME} (document 000).
// MUST: WEB_APP_SERVICE_SERVICE_PORT_HTTP=80 and _METRICS=9090 for the
// ports named http and metrics: confirmed; missing or different: failed.
func env09(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("ENV-09", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			f.ready(t)
			return ctx
		}).
		Assess("EveryNamedPortHasItsVariable", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			env, err := f.env(ctx, f.late)
			if err != nil {
				verdict.Fatal(t, err)
			}
			var seen []string
			for _, p := range f.svc.Spec.Ports {
				k := "WEB_APP_SERVICE_SERVICE_PORT_" + strings.ToUpper(p.Name)
				chk.Evidence("pod %s: port %q: %s=%q", f.late.Pod, p.Name, k, env[k])
				if env[k] != fmt.Sprint(p.Port) {
					verdict.Errorf(t, "%s = %q, want %d", k, env[k], p.Port)
				}
				seen = append(seen, k+"="+env[k])
			}
			if !t.Failed() {
				chk.Confirm("pod %s has a variable per named port: %s", f.late.Pod, strings.Join(seen, ", "))
			}
			return ctx
		}).Feature()
}
