//go:build e2e

package ext

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// EXT-01: headless Service: `svc` resolves to the ready pod IPs; StatefulSet
// pods get `pod.svc` names.
// MUST: the headless name answers exactly the ready addresses its
// EndpointSlices list at the same moment (both StatefulSet pods), and
// web-N.<svc>.<ns>.svc.<zone> resolves to pod web-N's IP, each within
// world.ReachBound (records follow readiness by a moment): confirmed;
// anything else: failed.
func ext01(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("EXT-01", &chk).
		Assess("HeadlessNameListsPodsStatefulSetPodsHaveNames", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-ext01")
			labels := map[string]string{"app": "db"}
			svc := kube.Service(ns, "db", "", labels, kube.ServicePort("http", 80, world.ServerPort))
			svc.Spec.ClusterIP = corev1.ClusterIPNone
			world.CreateService(ctx, t, c, svc)
			sts := statefulSet(ns, "db", 2, labels)
			if _, err := c.AppsV1().StatefulSets(ns).Create(ctx, sts, metav1.CreateOptions{}); err != nil {
				verdict.Fatal(t, err)
			}
			pods, err := c.WaitPodsReady(ctx, ns, "app=db", 2, 2*time.Minute)
			if err != nil {
				verdict.Fatal(t, err)
			}
			client := w.Wait(t).AnyClient() // in another namespace: names are namespace-qualified
			zone := world.ClusterDomain(ctx, c)
			name := fmt.Sprintf("db.%s.svc.%s", ns, zone)
			answers := headlessMatchesEndpoints(ctx, t, chk, client, c, ns, "db", name, len(pods))
			for _, p := range pods {
				expect(ctx, t, chk, client, fmt.Sprintf("%s.db.%s.svc.%s", p.Name, ns, zone), "A", p.Status.PodIP)
			}
			if !t.Failed() {
				chk.Confirm("headless %s answered the ready endpoints %v; %s.db and %s.db answered their pods' IPs",
					name, answers, pods[0].Name, pods[1].Name)
			}
			return ctx
		}).Feature()
}

// headlessMatchesEndpoints polls the A records of a headless Service's
// name until they are exactly the ready addresses its EndpointSlices list
// in the same look (want of them), so a record set still converging is
// waited for, not judged; it fails t if they never match within
// world.ReachBound, and returns the matching answers.
func headlessMatchesEndpoints(ctx context.Context, t *testing.T, chk *verdict.Check, p kube.Prober, c *kube.Client, ns, svc, name string, want int) []string {
	t.Helper()
	var got, ready []string
	err := kube.WaitFor(ctx, fmt.Sprintf("A %s = the %d ready endpoints of %s/%s", name, want, ns, svc), world.ReachBound, func(ctx context.Context) (kube.Observation, error) {
		r, err := p.DNS(ctx, name, "A")
		if err != nil {
			return kube.Observation{}, err
		}
		if ready, err = kube.ReadyEndpointIPs(ctx, c, ns, svc); err != nil {
			return kube.Observation{}, err
		}
		got = slices.Sorted(slices.Values(r.Answers))
		seen := fmt.Sprintf("%s %v; EndpointSlices ready %v", r.RCode, got, ready)
		return kube.Observation{Done: len(ready) == want && slices.Equal(got, ready), Seen: seen}, nil
	})
	chk.Evidence("%s -> A %s = [%s] (ready endpoints [%s])", p, name, strings.Join(got, " "), strings.Join(ready, " "))
	if err != nil {
		verdict.Error(t, err)
	}
	return got
}
