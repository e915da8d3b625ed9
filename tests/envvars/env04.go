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

// ENV-04: services of other namespaces are not injected.
// MUST: a pod in namespace B has no variables for a service in namespace A.
func env04(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("ENV-04", &chk).
		Assess("OtherNamespacePodHasNoVariablesOfTheService", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			env, err := environment(ctx, f.other)
			if err != nil {
				verdict.Fatal(t, err)
			}
			var leaked []string
			for k := range env {
				if strings.HasPrefix(k, "WEB_APP_SERVICE_") {
					leaked = append(leaked, k)
				}
			}
			sort.Strings(leaked)
			chk.Evidence("pod %s/%s (service %s lives in %s): WEB_APP_SERVICE_* variables: %v", f.otherNS, f.other.Pod, svcName, f.ns, leaked)
			if len(leaked) > 0 {
				verdict.Errorf(t, "variables of %s/%s leaked into namespace %s: %v", f.ns, svcName, f.otherNS, leaked)
			}
			return ctx
		}).Feature()
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
