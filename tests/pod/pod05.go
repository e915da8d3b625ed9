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
// hard-code them ("the pod that takes its place will have a new IP").
// MUST: a deleted Deployment pod is replaced by one with a new name; the
// client that reached the old pod on its IP reaches the replacement on
// its own IP (the positive control), and, once the API no longer has the
// old pod, gets no answer from it on the old IP for silentFor.
// Confirmed when the replacement's IP is new. Kubernetes promises no new
// IP: an IPAM may hand the freed address straight back, so a replacement
// on the old IP refutes the document's "will have a new IP". A deleted
// pod that still answers is failed.
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
			client = w.Wait(t).AnyClient()
			// The pod and its replacement on the client's node: the claim
			// rests on that one node's pod network, the same every run.
			spec := kube.PodSpec(kube.ProbeContainer("server", harness.Current().ProbeImage, []int32{world.ServerPort}))
			spec.NodeName = w.Nodes[0]
			d := kube.Deployment(ns, "recreate", 1, labels, spec)
			if _, err := c.AppsV1().Deployments(ns).Create(ctx, d, metav1.CreateOptions{}); err != nil {
				verdict.Fatal(t, err)
			}
			return ctx
		}).
		Assess("ReplacementPodHasANewNameAndIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			pods, err := c.WaitPodsReady(ctx, ns, "app=recreate", 1, 2*time.Minute)
			if err != nil {
				verdict.Fatal(t, err)
			}
			old := pods[0]
			oldURL := fmt.Sprintf("http://%s:%d/hostname", old.Status.PodIP, world.ServerPort)
			before, err := world.WaitHTTP(ctx, client, oldURL, world.ReachBound)
			world.Evidence(chk, client, oldURL+" (before the delete)", world.HTTPSummary(before))
			if err != nil || before.BackendCounts[old.Name] != 1 {
				verdict.Fatalf(t, "the original pod %s did not answer on its IP: %s %v", old.Name, world.HTTPSummary(before), err)
			}
			if err := c.CoreV1().Pods(ns).Delete(ctx, old.Name, metav1.DeleteOptions{}); err != nil {
				verdict.Fatal(t, err)
			}
			repl, err := waitReplacement(ctx, c, ns, old.Name)
			if err != nil {
				verdict.Fatal(t, err)
			}
			chk.Evidence("pod %s ip=%s deleted; replacement %s ip=%s on %s", old.Name, old.Status.PodIP, repl.name, repl.ip, repl.node)
			if err := waitGone(ctx, c, ns, old.Name); err != nil {
				verdict.Fatal(t, err)
			}
			newURL := fmt.Sprintf("http://%s:%d/hostname", repl.ip, world.ServerPort)
			r, err := world.WaitHTTP(ctx, client, newURL, world.ReachBound)
			world.Evidence(chk, client, newURL+" (the replacement, positive control)", world.HTTPSummary(r))
			if err != nil || r.BackendCounts[repl.name] != 1 {
				verdict.Fatalf(t, "the replacement %s does not answer on its own IP, so silence on the old one would prove nothing: %s %v", repl.name, world.HTTPSummary(r), err)
			}
			if repl.ip == old.Status.PodIP {
				chk.Refute("replacement %s got the deleted pod's IP %s back: a recreated pod need not get a new IP", repl.name, repl.ip)
				return ctx
			}
			after, err := pollSilent(ctx, client, oldURL)
			if err != nil {
				verdict.Fatal(t, err)
			}
			world.Evidence(chk, client, oldURL+" (the old IP, after the API removed the pod; polled "+silentFor.String()+")", world.HTTPSummary(after))
			if after.BackendCounts[old.Name] > 0 {
				verdict.Fatalf(t, "the deleted pod %s still answers on %s: %s", old.Name, oldURL, world.HTTPSummary(after))
			}
			gone := world.Silence(after)
			if after.OK > 0 {
				gone = "answered only by other pods " + world.Counts(after.BackendCounts) + " (the IP was reused)"
			}
			chk.Confirm("replacement %s has a new IP %s (was %s); the old IP no longer serves the app: %s", repl.name, repl.ip, old.Status.PodIP, gone)
			return ctx
		}).Feature()
}

type replacement struct{ name, ip, node string }

// waitReplacement waits for a ready pod of the Deployment other than old.
func waitReplacement(ctx context.Context, c *kube.Client, ns, old string) (replacement, error) {
	var got replacement
	err := kube.WaitFor(ctx, "replacement pod ready", 2*time.Minute, func(ctx context.Context) (kube.Observation, error) {
		list, err := c.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "app=recreate"})
		if err != nil {
			return kube.Observation{}, err
		}
		seen := ""
		for i := range list.Items {
			p := &list.Items[i]
			seen += kube.DescribePod(p) + "; "
			if p.Name != old && kube.PodReady(p) {
				got = replacement{p.Name, p.Status.PodIP, p.Spec.NodeName}
				return kube.Observation{Done: true}, nil
			}
		}
		return kube.Observation{Seen: seen}, nil
	})
	return got, err
}

// waitGone waits until the API no longer has pod name: the claim is about
// a pod that is gone, and a terminating pod may serve until it exits.
func waitGone(ctx context.Context, c *kube.Client, ns, name string) error {
	return kube.WaitFor(ctx, "deleted pod "+name+" gone", time.Minute, func(ctx context.Context) (kube.Observation, error) {
		p, err := c.CoreV1().Pods(ns).Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return kube.Observation{Done: true}, nil
		}
		if err != nil {
			return kube.Observation{}, err
		}
		return kube.Observation{Seen: kube.DescribePod(p)}, nil
	})
}
