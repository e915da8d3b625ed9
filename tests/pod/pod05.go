//go:build e2e

package pod

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// POD-05: pod IPs change when pods are recreated, so clients must not
// hard-code them.
// MUST: a deleted Deployment pod is replaced by one with a new name and
// (with overwhelming likelihood) a new IP; the old IP no longer serves it.
func pod05(w *world.World) features.Feature {
	var (
		chk    *verdict.Check
		c      *kube.Client
		ns     string
		client kube.Prober
	)
	labels := map[string]string{"app": "recreate"}
	return verdict.Claim("POD-05", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns = world.OwnNamespace(ctx, t, "nc-pod05")
			d := kube.Deployment(ns, "recreate", 1, labels, kube.PodSpec(kube.ProbeContainer("server", harness.Current().ProbeImage, []int32{world.ServerPort})))
			if _, err := c.AppsV1().Deployments(ns).Create(ctx, d, metav1.CreateOptions{}); err != nil {
				verdict.Fatal(t, err)
			}
			client = w.Wait(t).AnyClient()
			return ctx
		}).
		Assess("ReplacementPodHasANewNameAndIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			pods, err := c.WaitPodsReady(ctx, ns, "app=recreate", 1, 2*time.Minute)
			if err != nil {
				verdict.Fatal(t, err)
			}
			old := pods[0]
			oldURL := fmt.Sprintf("http://%s:%d/hostname", old.Status.PodIP, world.ServerPort)
			before, err := client.HTTP(ctx, oldURL, 1)
			if err != nil {
				verdict.Fatal(t, err)
			}
			world.Evidence(chk, client, oldURL+" (before delete)", world.HTTPSummary(before))
			if before.BackendCounts[old.Name] != 1 {
				verdict.Fatalf(t, "the original pod %s did not answer on its IP: %s", old.Name, world.HTTPSummary(before))
			}
			if err := c.CoreV1().Pods(ns).Delete(ctx, old.Name, metav1.DeleteOptions{}); err != nil {
				verdict.Fatal(t, err)
			}
			var replacement string
			err = kube.WaitFor(ctx, "replacement pod ready", 2*time.Minute, func(ctx context.Context) (kube.Observation, error) {
				list, err := c.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "app=recreate"})
				if err != nil {
					return kube.Observation{}, err
				}
				seen := ""
				for i := range list.Items {
					p := &list.Items[i]
					seen += kube.DescribePod(p) + "; "
					if p.Name != old.Name && kube.PodReady(p) {
						replacement = p.Name + " " + p.Status.PodIP
						chk.Evidence("pod %s ip=%s deleted; replacement %s ip=%s on %s", old.Name, old.Status.PodIP, p.Name, p.Status.PodIP, p.Spec.NodeName)
						if p.Status.PodIP == old.Status.PodIP {
							verdict.Errorf(t, "replacement %s reuses the old IP %s", p.Name, p.Status.PodIP)
						}
						return kube.Observation{Done: true}, nil
					}
				}
				return kube.Observation{Seen: seen}, nil
			})
			if err != nil {
				verdict.Fatal(t, err)
			}
			// The old pod may serve while it terminates; the claim is about it being gone.
			err = kube.WaitFor(ctx, "deleted pod "+old.Name+" gone", time.Minute, func(ctx context.Context) (kube.Observation, error) {
				p, err := c.CoreV1().Pods(ns).Get(ctx, old.Name, metav1.GetOptions{})
				if apierrors.IsNotFound(err) {
					return kube.Observation{Done: true}, nil
				}
				if err != nil {
					return kube.Observation{}, err
				}
				return kube.Observation{Seen: kube.DescribePod(p)}, nil
			})
			if err != nil {
				verdict.Fatal(t, err)
			}
			after, err := client.HTTP(ctx, oldURL, 1, "--timeout", "1s")
			if err != nil {
				verdict.Fatal(t, err)
			}
			world.Evidence(chk, client, oldURL+" (after the old pod is gone; replacement "+replacement+")", world.HTTPSummary(after))
			if after.BackendCounts[old.Name] > 0 {
				verdict.Errorf(t, "the deleted pod %s still answers on %s", old.Name, oldURL)
			}
			return ctx
		}).Feature()
}
