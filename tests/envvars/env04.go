//go:build e2e

package envvars

import (
	"context"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// ENV-04: services of other namespaces are not injected (document 000).
// MUST: a pod in namespace B, started after web-app-service was created in
// namespace A, has no WEB_APP_SERVICE_* variables. The absence counts only
// beside two positive controls: the same pod has the variables of
// local-service, a Service of its own namespace B, and a pod of A started
// at the same time has WEB_APP_SERVICE_SERVICE_HOST. Both controls hold
// and no variable leaked: confirmed; a leak or a failed control: failed.
func env04(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("ENV-04", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			f.ready(t)
			return ctx
		}).
		Assess("OtherNamespacePodHasNoVariablesOfTheService", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			other, err := f.env(ctx, f.other)
			if err != nil {
				verdict.Fatal(t, err)
			}
			late, err := f.env(ctx, f.late)
			if err != nil {
				verdict.Fatal(t, err)
			}
			own := other["LOCAL_SERVICE_SERVICE_HOST"]
			chk.Evidence("pod %s/%s: LOCAL_SERVICE_SERVICE_HOST=%q (its own namespace's %s, clusterIP %s)", f.otherNS, f.other.Pod, own, otherName, f.local.Spec.ClusterIP)
			chk.Evidence("pod %s/%s: WEB_APP_SERVICE_SERVICE_HOST=%q (%s's clusterIP %s)", f.ns, f.late.Pod, late["WEB_APP_SERVICE_SERVICE_HOST"], svcName, f.svc.Spec.ClusterIP)
			if own != f.local.Spec.ClusterIP {
				verdict.Fatalf(t, "positive control failed: pod %s/%s lacks the variables of its own namespace's %s (LOCAL_SERVICE_SERVICE_HOST=%q), so its lack of others proves nothing",
					f.otherNS, f.other.Pod, otherName, own)
			}
			if late["WEB_APP_SERVICE_SERVICE_HOST"] != f.svc.Spec.ClusterIP {
				verdict.Fatalf(t, "positive control failed: pod %s/%s of %s's own namespace lacks WEB_APP_SERVICE_SERVICE_HOST", f.ns, f.late.Pod, svcName)
			}
			leaked := withPrefix(other, "WEB_APP_SERVICE_")
			chk.Evidence("pod %s/%s (service %s lives in %s): WEB_APP_SERVICE_* variables: %v", f.otherNS, f.other.Pod, svcName, f.ns, leaked)
			if len(leaked) > 0 {
				verdict.Errorf(t, "variables of %s/%s leaked into namespace %s: %v", f.ns, svcName, f.otherNS, leaked)
				return ctx
			}
			chk.Confirm("pod %s/%s has no WEB_APP_SERVICE_* variables of %s/%s, though it has LOCAL_SERVICE_SERVICE_HOST=%s of its own namespace and a pod of %s has WEB_APP_SERVICE_SERVICE_HOST=%s",
				f.otherNS, f.other.Pod, f.ns, svcName, own, f.ns, late["WEB_APP_SERVICE_SERVICE_HOST"])
			return ctx
		}).Feature()
}
