//go:build e2e

package envvars

import (
	"context"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// ENV-06: if the service gets a new IP, a running pod keeps the old value
// (document 001).
// MUST: after the Service is deleted and recreated with a new ClusterIP,
// the running pod (the same container as before the change) still holds the old IP
// and a pod started afterwards holds the new one: confirmed; anything
// else: failed. An environment that could not be read is a probe failure,
// retried and then reported as such, never an empty answer.
func env06() features.Feature {
	var chk *verdict.Check
	return verdict.Claim("ENV-06", &chk).
		Assess("RunningPodKeepsTheOldClusterIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-env06")
			create := func() string {
				return world.CreateService(ctx, t, c, kube.Service(ns, "db", "", map[string]string{"app": "db"}, kube.ServicePort("tcp", 3306, 3306))).Spec.ClusterIP
			}
			oldIP := create()
			running := world.StartClient(ctx, t, c, ns, "running", "")
			// The container that runs when the Service changes; a start that
			// failed before it (a transient runtime error on a busy node) is
			// not a restart of it.
			since, _, err := started(ctx, running)
			if err != nil {
				verdict.Fatal(t, err)
			}
			newIP := oldIP
			// A fresh allocation is random; on the rare repeat of the old IP, recreate again.
			for i := 0; i < 3 && newIP == oldIP; i++ {
				if err := c.CoreV1().Services(ns).Delete(ctx, "db", metav1.DeleteOptions{}); err != nil {
					verdict.Fatal(t, err)
				}
				newIP = create()
			}
			chk.Evidence("service %s/db deleted and recreated: clusterIP %s -> %s", ns, oldIP, newIP)
			if newIP == oldIP {
				verdict.Fatalf(t, "three recreations all got %s; cannot tell old from new", oldIP)
			}
			fresh := world.StartClient(ctx, t, c, ns, "fresh", "")
			got := map[string]string{}
			for _, p := range []struct {
				prober kube.Prober
				want   string
			}{{running, oldIP}, {fresh, newIP}} {
				env, err := environment(ctx, p.prober)
				if err != nil {
					verdict.Fatal(t, err)
				}
				got[p.prober.Pod] = env["DB_SERVICE_HOST"]
				chk.Evidence("pod %s: DB_SERVICE_HOST=%s (want %s)", p.prober.Pod, got[p.prober.Pod], p.want)
				if got[p.prober.Pod] != p.want {
					verdict.Errorf(t, "pod %s: DB_SERVICE_HOST = %q, want %q", p.prober.Pod, got[p.prober.Pod], p.want)
				}
			}
			// A restart would recompute the environment: the old value would
			// then be gone for a reason other than the one claimed.
			now, _, err := started(ctx, running)
			if err != nil {
				verdict.Fatal(t, err)
			}
			chk.Evidence("pod %s: container running since %s, before the Service changed, and since %s at the end", running.Pod, since.Format(time.RFC3339), now.Format(time.RFC3339))
			if !now.Equal(since) {
				verdict.Fatalf(t, "pod %s's container restarted while the Service changed (running since %s, now since %s): it is not the pod that was running when the Service changed", running.Pod, since.Format(time.RFC3339), now.Format(time.RFC3339))
			}
			if !t.Failed() {
				chk.Confirm("after %s/db was recreated (%s -> %s), running pod %s still has DB_SERVICE_HOST=%s and new pod %s has %s",
					ns, oldIP, newIP, running.Pod, got[running.Pod], fresh.Pod, got[fresh.Pod])
			}
			return ctx
		}).Feature()
}
