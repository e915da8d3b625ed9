//go:build e2e

package pod

import (
	"context"
	"fmt"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// POD-08: with no NetworkPolicy, any pod can reach any other, in any namespace.
// MUST: with no policy in either namespace, a client in one namespace reaches
// every server pod of another by IP.
func pod08(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("POD-08", &chk).
		Assess("CrossNamespacePodTrafficFlowsWithoutPolicy", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			for _, ns := range []string{w.NS, w.OtherNS} {
				pols, err := w.C.NetworkingV1().NetworkPolicies(ns).List(ctx, metav1.ListOptions{})
				if err != nil {
					verdict.Fatal(t, err)
				}
				chk.Evidence("namespace %s: %d NetworkPolicies", ns, len(pols.Items))
				if len(pols.Items) > 0 {
					verdict.Fatalf(t, "namespace %s has NetworkPolicies; the claim is about a namespace without any", ns)
				}
			}
			for _, s := range w.Servers {
				url := fmt.Sprintf("http://%s:%d/hostname", s.IP, world.ServerPort)
				r, err := w.Remote.HTTP(ctx, url, 1)
				if err != nil {
					verdict.Fatal(t, err)
				}
				world.Evidence(chk, w.Remote, url+" ("+w.NS+"/"+s.Pod+")", world.HTTPSummary(r))
				if r.BackendCounts[s.Pod] != 1 {
					verdict.Errorf(t, "%s could not reach %s/%s across namespaces", w.Remote, w.NS, s.Pod)
				}
			}
			return ctx
		}).Feature()
}
