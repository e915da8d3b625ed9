//go:build e2e

package dns

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// churnRounds is how many pods DNS-14 replaces while it resolves the name.
const churnRounds = 3

// DNS-14: names keep working while pods come and go.
// MUST: across pod churn the name resolves to the same ClusterIP every time,
// and a request by name succeeds in every round (retried for at most 10 s
// while the deleted pod leaves the endpoints).
func dns14() features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-14", &chk).
		Assess("NameResolvesAndAnswersAcrossPodChurn", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-dns14")
			labels := map[string]string{"app": "churn"}
			d := kube.Deployment(ns, "churn", 2, labels, kube.PodSpec(kube.ProbeContainer("server", harness.Current().ProbeImage, []int32{world.ServerPort})))
			if _, err := c.AppsV1().Deployments(ns).Create(ctx, d, metav1.CreateOptions{}); err != nil {
				verdict.Fatal(t, err)
			}
			svc := world.CreateService(ctx, t, c, kube.Service(ns, "churn", "", labels, kube.ServicePort("http", 80, world.ServerPort)))
			client := world.StartClient(ctx, t, c, ns, "client", "")
			for round := 1; round <= churnRounds; round++ {
				pods, err := c.WaitPodsReady(ctx, ns, "app=churn", 2, 2*time.Minute)
				if err != nil {
					verdict.Fatal(t, err)
				}
				if err := c.CoreV1().Pods(ns).Delete(ctx, pods[0].Name, metav1.DeleteOptions{}); err != nil {
					verdict.Fatal(t, err)
				}
				r, err := client.DNS(ctx, "churn", "A")
				if err != nil {
					verdict.Fatal(t, err)
				}
				chk.Evidence("round %d, deleted %s: %s -> A churn = %s", round, pods[0].Name, client, dnsSummary(r))
				if !only(r.Answers, svc.Spec.ClusterIP) {
					verdict.Errorf(t, "round %d: churn resolved to %v, want [%s]", round, r.Answers, svc.Spec.ClusterIP)
				}
				failures := 0
				err = kube.WaitFor(ctx, fmt.Sprintf("round %d: http://churn answering", round), 10*time.Second, func(ctx context.Context) (kube.Observation, error) {
					h, err := client.HTTP(ctx, "http://churn/hostname", 1, "--timeout", "1s")
					if err == nil && h.OK == 0 {
						failures++
					}
					return kube.Observation{Done: err == nil && h.OK == 1, Seen: world.HTTPSummary(h)}, err
				})
				chk.Evidence("round %d: http://churn answered after %d failed tries", round, failures)
				if err != nil {
					verdict.Error(t, err)
				}
			}
			return ctx
		}).Feature()
}
