//go:build e2e

package envvars

import (
	"context"
	"strings"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// ENV-11: the variable is written APP1-SERVICE_SERVICE_HOST (document 001,
// for its Service app1-service).
// MUST: Kubernetes upper-cases the name and replaces every `-` with `_`,
// so a pod started after app1-service has no variable whose name contains
// `-` for it, and has APP1_SERVICE_SERVICE_HOST with its ClusterIP (the
// positive control beside the absence): document 001 refuted. The
// document's spelling is one no conformant cluster produces, so a dashed
// name is failed, as is a missing underscore form.
func env11(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("ENV-11", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			f.ready(t)
			return ctx
		}).
		Assess("NoVariableIsNamedWithADash", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			env, err := f.env(ctx, f.late)
			if err != nil {
				verdict.Fatal(t, err)
			}
			var dashed []string
			for _, k := range sortedKeys(env) {
				if strings.Contains(k, "-") {
					dashed = append(dashed, k)
				}
			}
			const underscored, docForm = "APP1_SERVICE_SERVICE_HOST", "APP1-SERVICE_SERVICE_HOST"
			chk.Evidence("service %s/%s (clusterIP %s): pod %s has %v", f.ns, doc001Name, f.doc001.Spec.ClusterIP, f.late.Pod, withPrefix(env, "APP1"))
			chk.Evidence("pod %s: variables whose name contains '-': %v", f.late.Pod, dashed)
			got, ok := env[underscored]
			switch {
			case !ok || got != f.doc001.Spec.ClusterIP:
				verdict.Errorf(t, "positive control failed: pod %s has %s=%q (present %t), want the ClusterIP %s", f.late.Pod, underscored, got, ok, f.doc001.Spec.ClusterIP)
			case len(dashed) > 0:
				verdict.Errorf(t, "pod %s has variables named with '-' (%v), which Kubernetes never writes", f.late.Pod, dashed)
			default:
				chk.Refute("pod %s has no %s (no variable name contains '-'); the Service's address is in %s=%s", f.late.Pod, docForm, underscored, got)
			}
			return ctx
		}).Feature()
}
