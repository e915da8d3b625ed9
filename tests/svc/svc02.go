//go:build e2e

package svc

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// SVC-02: the ClusterIP is static while the service exists, whatever
// happens to the pods.
// MUST: the ClusterIP is identical before and after a pod deletion, scaling
// 1→3→0→2, and a rolling update.
func svc02() features.Feature {
	var (
		chk *verdict.Check
		c   *kube.Client
		ns  string
	)
	const sel = "app=stable"
	return verdict.Claim("SVC-02", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns = world.OwnNamespace(ctx, t, "nc-svc02")
			labels := map[string]string{"app": "stable"}
			world.DeployObject(ctx, t, c, world.SurgeAll(kube.Deployment(ns, "stable", 1, labels, world.Server([]int32{world.ServerPort}))))
			world.CreateService(ctx, t, c, kube.Service(ns, "stable", "", labels, kube.ServicePort("http", 80, world.ServerPort)))
			return ctx
		}).
		Assess("ClusterIPSurvivesPodChurnScalingAndRollout", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			clusterIP := func() string {
				svc, err := c.CoreV1().Services(ns).Get(ctx, "stable", metav1.GetOptions{})
				if err != nil {
					verdict.Fatal(t, err)
				}
				return svc.Spec.ClusterIP
			}
			want := clusterIP()
			pods, err := c.WaitPodsReady(ctx, ns, sel, 1, 2*time.Minute)
			if err != nil {
				verdict.Fatal(t, err)
			}
			scale := func(n int32) func() error {
				return func() error {
					patch := fmt.Sprintf(`{"spec":{"replicas":%d}}`, n)
					if _, err := c.AppsV1().Deployments(ns).Patch(ctx, "stable", types.MergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
						return err
					}
					_, err := c.WaitPodsReady(ctx, ns, sel, int(n), 2*time.Minute)
					return err
				}
			}
			steps := []struct {
				name string
				do   func() error
			}{
				{"delete pod " + pods[0].Name, func() error {
					if err := c.CoreV1().Pods(ns).Delete(ctx, pods[0].Name, metav1.DeleteOptions{}); err != nil {
						return err
					}
					return kube.WaitFor(ctx, "replacement of "+pods[0].Name, 2*time.Minute, func(ctx context.Context) (kube.Observation, error) {
						ready, err := c.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: sel})
						if err != nil {
							return kube.Observation{}, err
						}
						for i := range ready.Items {
							p := &ready.Items[i]
							if p.Name != pods[0].Name && kube.PodReady(p) {
								return kube.Observation{Done: true}, nil
							}
						}
						return kube.Observation{Seen: fmt.Sprintf("%d pods, no ready replacement", len(ready.Items))}, nil
					})
				}},
				{"scale to 3", scale(3)},
				{"scale to 0", scale(0)},
				{"scale to 2", scale(2)},
				{"rolling update", func() error {
					patch := fmt.Sprintf(`{"spec":{"template":{"metadata":{"annotations":{"netconform.io/rev":"%d"}}}}}`, time.Now().UnixNano())
					if _, err := c.AppsV1().Deployments(ns).Patch(ctx, "stable", types.StrategicMergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
						return err
					}
					return c.WaitRolledOut(ctx, ns, "stable", 2*time.Minute)
				}},
			}
			chk.Evidence("service %s/stable clusterIP=%s at start", ns, want)
			changed := 0
			for _, s := range steps {
				if err := s.do(); err != nil {
					verdict.Fatalf(t, "%s: %v", s.name, err)
				}
				got := clusterIP()
				chk.Evidence("after %s: clusterIP=%s (unchanged=%t)", s.name, got, got == want)
				if got != want {
					changed++
					verdict.Errorf(t, "clusterIP changed after %s: %s -> %s", s.name, want, got)
				}
			}
			if changed == 0 {
				chk.Confirm("clusterIP %s unchanged after each of %d pod changes (deletion, scaling 1→3→0→2, rolling update)", want, len(steps))
			}
			return ctx
		}).Feature()
}
