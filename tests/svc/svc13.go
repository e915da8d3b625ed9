//go:build e2e

package svc

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// rollingReplicas is how many pods the rolling update replaces.
const rollingReplicas = 2

// rolloutBudget is how many requests may fail while the replicas are
// replaced: one per replaced pod, for a connection that races a rule
// rewrite. The old pods drain, so none should.
const rolloutBudget = rollingReplicas

// afterRequests is how many requests, all answered by new pods, show the
// rollout done.
const afterRequests = 30

// rollingDrain is how long a replaced pod keeps serving after SIGTERM
// (probe serve --drain: it reports not ready and goes on answering), as a
// well-behaved app does until no proxy sends to it any more. The test ends
// the drain itself once traffic has moved off (it deletes the drained pods
// at once), so rollingDrain is the bound on how long the cluster may take
// to move traffic off a terminating pod, not a wait. On a busy 2-core host
// the proxy took more than the 3 s the servers drained before, so they
// stopped listening while still in the rotation (refused, timeout).
const rollingDrain = 60 * time.Second

// rolloutBound is how long the rollout and the move of traffic onto the
// new pods may take together.
const rolloutBound = 2*time.Minute + rollingDrain

// SVC-13: Deployments replace pods; the service keeps routing to the new pods.
// MUST: during a rolling update the service answers throughout (at most
// rolloutBudget failed requests), and then only new pods answer: the API
// lists only them as ready endpoints and the client gets answers only from
// them, within rolloutBound. Confirmed when both hold.
//
// The update surges all replicas at once (world.SurgeAll), still a
// rolling update: old pods leave only once new ones are ready. Requests
// run in batches of 10, 100 ms apart, from before the update until the
// traffic has moved. A batch whose probe could not run (the exec failed)
// is retried, not counted as the cluster's answer.
func svc13(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-13", &chk).
		Assess("ServiceAnswersThroughoutARollingUpdate", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-svc13")
			t.Cleanup(func() { stopDraining(c, ns, t.Failed()) })
			labels := map[string]string{"app": "rolling"}
			spec := world.Server([]int32{world.ServerPort}, "--drain", rollingDrain.String())
			spec.TerminationGracePeriodSeconds = ptr.To(int64((rollingDrain + 15*time.Second) / time.Second))
			d := world.SurgeAll(kube.Deployment(ns, "rolling", rollingReplicas, labels, spec))
			old := world.DeployObject(ctx, t, c, d)
			svc := world.CreateService(ctx, t, c, kube.Service(ns, "rolling", "", labels, kube.ServicePort("http", 80, world.ServerPort)))
			client := w.Wait(t).AnyClient()
			url := fmt.Sprintf("http://%s/hostname", svc.Spec.ClusterIP)
			if _, err := world.EveryBackend(ctx, client, url, podNames(old), world.ReachBound); err != nil {
				verdict.Fatal(t, err)
			}
			oldNames := map[string]bool{}
			for _, p := range old {
				oldNames[p.Name] = true
			}
			patch := fmt.Sprintf(`{"spec":{"template":{"metadata":{"annotations":{"netconform.io/rev":"%d"}}}}}`, time.Now().UnixNano())
			if _, err := c.AppsV1().Deployments(ns).Patch(ctx, "rolling", types.StrategicMergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
				verdict.Fatal(t, err)
			}
			chk.Evidence("rolling update of %s/rolling started; old pods %v drain for up to %s", ns, slices.Sorted(maps.Keys(oldNames)), rollingDrain)
			var during probe.HTTPResult
			var last, state string
			probeFailures := 0
			deadline := time.Now().Add(rolloutBound)
			for moved := false; !moved; {
				if time.Now().After(deadline) {
					verdict.Fatalf(t, "traffic had not moved to the new pods within %s: %s; last batch %s", rolloutBound, state, last)
				}
				var newIPs []string
				newIPs, state, moved = rolledOver(ctx, c, ns, oldNames)
				r, err := client.HTTP(ctx, url, 10, "--interval", "100ms", "--timeout", "2s")
				if err != nil {
					if probeFailures++; probeFailures > 5 {
						verdict.Fatalf(t, "probe failure, not the cluster's answer: %d batches could not run: %v", probeFailures, err)
					}
					moved = false
					continue
				}
				during.Merge(r)
				last = world.HTTPSummary(r)
				for b := range r.BackendCounts {
					moved = moved && !oldNames[b]
				}
				moved = moved && r.OK == r.Tries && len(newIPs) == rollingReplicas
			}
			world.Evidence(chk, client, fmt.Sprintf("%s (%d requests, 100 ms apart, during the rollout)", url, during.Tries), world.HTTPSummary(during))
			chk.Evidence("traffic moved: %s; the last batch %s", state, last)
			endDrain(ctx, t, chk, c, ns, old)
			failed := during.Tries - during.OK
			if failed > rolloutBudget {
				verdict.Errorf(t, "%d requests failed during the rollout, budget %d: %s", failed, rolloutBudget, world.HTTPSummary(during))
			}
			// Timed-out tries are tried again (world.Answered): no answer says
			// nothing of which pods serve; a refusal or an old pod's answer stays.
			after, err := world.Answered(ctx, client, url, afterRequests)
			if err != nil {
				verdict.Fatalf(t, "probe failure, not the cluster's answer: %v", err)
			}
			world.Evidence(chk, client, url+" (after the rollout)", world.HTTPSummary(after))
			stale := 0
			for b, n := range after.BackendCounts {
				if oldNames[b] {
					stale += n
					verdict.Errorf(t, "old pod %s still answers after the rollout", b)
				}
			}
			if after.OK < afterRequests {
				verdict.Errorf(t, "%d of %d requests answered after the rollout, want %d: %s", after.OK, after.Tries, afterRequests, world.HTTPSummary(after))
			}
			if failed <= rolloutBudget && stale == 0 && after.OK >= afterRequests {
				chk.Confirm("%d of %d requests answered during the rolling update (budget %d failures); afterwards %d/%d from the new pods only %s",
					during.OK, during.Tries, rolloutBudget, after.OK, after.Tries, world.Counts(after.BackendCounts))
			}
			return ctx
		}).Feature()
}

// rolledOver reads through the API whether the rollout is complete and
// the Service's ready endpoints are exactly the new pods.
func rolledOver(ctx context.Context, c *kube.Client, ns string, old map[string]bool) (newIPs []string, state string, done bool) {
	d, err := c.AppsV1().Deployments(ns).Get(ctx, "rolling", metav1.GetOptions{})
	if err != nil {
		return nil, err.Error(), false
	}
	pods, err := c.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "app=rolling"})
	if err != nil {
		return nil, err.Error(), false
	}
	for i := range pods.Items {
		p := &pods.Items[i]
		if !old[p.Name] && kube.PodReady(p) && p.DeletionTimestamp == nil {
			newIPs = append(newIPs, p.Status.PodIP)
		}
	}
	slices.Sort(newIPs)
	eps, err := kube.ReadyEndpointIPs(ctx, c, ns, "rolling")
	if err != nil {
		return newIPs, err.Error(), false
	}
	state = fmt.Sprintf("rolled out %t, ready new pods %v, ready endpoints %v", kube.RolledOut(d), newIPs, eps)
	return newIPs, state, kube.RolledOut(d) && slices.Equal(eps, newIPs)
}

// endDrain deletes the replaced pods at once: no rotation sends to them
// any more, so their drain has done its work.
func endDrain(ctx context.Context, t *testing.T, chk *verdict.Check, c *kube.Client, ns string, old []corev1.Pod) {
	for _, p := range old {
		err := c.CoreV1().Pods(ns).Delete(ctx, p.Name, metav1.DeleteOptions{GracePeriodSeconds: ptr.To[int64](0)})
		if err != nil && !apierrors.IsNotFound(err) {
			t.Logf("end the drain of %s: %v", p.Name, err)
		}
	}
	chk.Evidence("drain of the old pods ended (deleted): traffic had moved off them")
}

// stopDraining ends the claim's pods at once before their namespace goes
// (they would drain for rollingDrain on deletion, keeping it for a minute
// after the claim); a failed claim keeps them for its diagnostics.
func stopDraining(c *kube.Client, ns string, failed bool) {
	if failed {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// Scaled to 0 first, so the ReplicaSet does not replace what is deleted.
	// Best effort: the namespace's deletion follows and removes them anyway.
	_, _ = c.AppsV1().Deployments(ns).Patch(ctx, "rolling", types.MergePatchType, []byte(`{"spec":{"replicas":0}}`), metav1.PatchOptions{})
	_ = c.CoreV1().Pods(ns).DeleteCollection(ctx, metav1.DeleteOptions{GracePeriodSeconds: ptr.To[int64](0)}, metav1.ListOptions{LabelSelector: "app=rolling"})
}
