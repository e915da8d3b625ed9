//go:build e2e

package svc

import (
	"context"
	"fmt"
	"slices"
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

// SVC-03: the selector maps the service to the pods with matching labels.
// MUST: the EndpointSlices list exactly the ready pods matching the selector,
// and follow pod churn and label changes.
func svc03() features.Feature {
	var (
		chk *verdict.Check
		c   *kube.Client
		ns  string
	)
	const sel = "app=eps"
	return verdict.Claim("SVC-03", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns = world.OwnNamespace(ctx, t, "nc-svc03")
			labels := map[string]string{"app": "eps"}
			world.Deploy(ctx, t, c, ns, "eps", 2, labels, world.Server([]int32{world.ServerPort}))
			world.CreateService(ctx, t, c, kube.Service(ns, "eps", "", labels, kube.ServicePort("http", 80, world.ServerPort)))
			return ctx
		}).
		Assess("EndpointSlicesFollowPodChurnAndRelabelling", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			// endpointsMatch waits until the slices hold exactly the ready matching pods.
			endpointsMatch := func(after string, wantPods int) []string {
				var eps []string
				err := kube.WaitFor(ctx, "endpoints = ready matching pods after "+after, 2*time.Minute, func(ctx context.Context) (kube.Observation, error) {
					pods, err := world.ReadyPodIPs(ctx, c, ns, sel)
					if err != nil {
						return kube.Observation{}, err
					}
					if eps, err = kube.ReadyEndpointIPs(ctx, c, ns, "eps"); err != nil {
						return kube.Observation{}, err
					}
					return kube.Observation{
						Done: len(pods) == wantPods && slices.Equal(pods, eps),
						Seen: fmt.Sprintf("ready matching pods %v, endpoint slices %v", pods, eps),
					}, nil
				})
				if err != nil {
					verdict.Fatal(t, err)
				}
				chk.Evidence("after %s: endpoint slices %v = ready pods matching %q", after, eps, sel)
				return eps
			}
			endpointsMatch("create", 2)
			pods, err := c.WaitPodsReady(ctx, ns, sel, 2, time.Minute)
			if err != nil {
				verdict.Fatal(t, err)
			}
			if err := c.CoreV1().Pods(ns).Delete(ctx, pods[0].Name, metav1.DeleteOptions{}); err != nil {
				verdict.Fatal(t, err)
			}
			eps := endpointsMatch("deleting "+pods[0].Name+" ("+pods[0].Status.PodIP+")", 2)
			if slices.Contains(eps, pods[0].Status.PodIP) {
				verdict.Errorf(t, "deleted pod %s's IP %s is still an endpoint", pods[0].Name, pods[0].Status.PodIP)
			}
			moved := pods[1]
			patch := `{"metadata":{"labels":{"app":"moved"}}}`
			if _, err := c.CoreV1().Pods(ns).Patch(ctx, moved.Name, types.MergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
				verdict.Fatal(t, err)
			}
			after := endpointsMatch("relabelling "+moved.Name+" ("+moved.Status.PodIP+") to app=moved", 2)
			if slices.Contains(after, moved.Status.PodIP) {
				verdict.Errorf(t, "relabelled pod %s (%s) is still an endpoint", moved.Name, moved.Status.PodIP)
			}
			if !slices.Contains(eps, pods[0].Status.PodIP) && !slices.Contains(after, moved.Status.PodIP) {
				chk.Confirm("the EndpointSlices listed exactly the ready pods matching %s after creation, after deleting %s and after relabelling %s (now %v)", sel, pods[0].Name, moved.Name, after)
			}
			return ctx
		}).Feature()
}
