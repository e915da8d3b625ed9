//go:build e2e

package envvars

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// ENV-02: the service name is upper-cased and `-` becomes `_`
// (web-app-service → WEB_APP_SERVICE_SERVICE_HOST); document 001 writes
// APP1-SERVICE_SERVICE_HOST.
// MUST: the underscore form is present. Dashed names (001's form) refute
// 001 when absent and confirm it when present.
func env02(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("ENV-02", &chk).
		Assess("NamesAreUpperCasedWithUnderscores", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			env, err := environment(ctx, f.late)
			if err != nil {
				verdict.Fatal(t, err)
			}
			var dashed, ours []string
			for k := range env {
				if strings.Contains(k, "-") {
					dashed = append(dashed, k)
				}
				if strings.HasPrefix(k, "WEB_APP_SERVICE_") {
					ours = append(ours, k)
				}
			}
			sort.Strings(ours)
			chk.Evidence("service %q: variables %v", svcName, ours)
			if _, ok := env["WEB_APP_SERVICE_SERVICE_HOST"]; !ok {
				verdict.Fatalf(t, "WEB_APP_SERVICE_SERVICE_HOST is missing (have %v)", ours)
			}
			if len(dashed) > 0 {
				chk.Evidence("variables with dashes, as document 001 writes them: %v", dashed)
				return ctx
			}
			chk.Refute("no variable name contains '-': the form WEB-APP-SERVICE_SERVICE_HOST (document 001's APP1-SERVICE_SERVICE_HOST) does not exist; WEB_APP_SERVICE_SERVICE_HOST=%s", env["WEB_APP_SERVICE_SERVICE_HOST"])
			return ctx
		}).Feature()
}
