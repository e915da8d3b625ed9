//go:build e2e

package dns

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

const (
	// churnRounds is how many pods DNS-14 replaces while it uses the name.
	churnRounds = 3
	// churnDrain is how long a deleted pod keeps serving (reporting not
	// ready), as a well-behaved app drains: longer than a busy node's proxy
	// takes to move new connections off a terminating endpoint.
	churnDrain = 10 * time.Second
	// recoverBound is how long requests by name may keep failing: a failed
	// request must be followed by one answered, sent within this.
	recoverBound = 10 * time.Second
	// settleBound is how long a replacement pod may take to be ready and in
	// the Service's EndpointSlices (API), on a busy cluster.
	settleBound = 2 * time.Minute
)

// DNS-14: names keep working while pods come and go.
// MUST: while a Deployment's pods are replaced one by one (churnRounds),
// the name resolves to the Service's ClusterIP in every look that got a
// reply, and requests by name succeed: a failed one must be followed by an
// answered one sent within recoverBound. Each round lasts until the API
// shows the replacement ready in the EndpointSlices and the deleted pod out
// of them. A look whose probe could not run is retried, never counted.
// The servers run on one node and the client on another (world.Across), so
// the requests take the same path in every run. Confirmed when every round
// holds.
func dns14(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-14", &chk).
		Assess("NameResolvesAndAnswersAcrossPodChurn", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-dns14")
			labels := map[string]string{"app": "churn"}
			backend, across := f.w.Wait(t).Across()
			spec := world.On(backend, steadyServer([]int32{world.ServerPort}, "--drain", churnDrain.String()))
			spec.TerminationGracePeriodSeconds = ptr.To(int64(2 * churnDrain / time.Second))
			waitServers := world.StartDeploy(ctx, t, c, kube.Deployment(ns, "churn", 2, labels, spec))
			svc := world.CreateService(ctx, t, c, kube.Service(ns, "churn", "", labels, kube.ServicePort("http", 80, world.ServerPort)))
			client := world.StartClient(ctx, t, c, ns, "client", across)
			chk.Evidence("servers on %s, client on %s", backend, across)
			waitServers()
			total := churnStats{backends: map[string]int{}}
			for round := 1; round <= churnRounds; round++ {
				pods := churnSettled(ctx, t, c, ns)
				victim := pods[0]
				if err := c.CoreV1().Pods(ns).Delete(ctx, victim.Name, metav1.DeleteOptions{}); err != nil {
					verdict.Fatalf(t, "round %d: delete pod %s: %v", round, victim.Name, err)
				}
				s := churnLooks(ctx, t, c, ns, client, svc.Spec.ClusterIP, victim.Status.PodIP, round)
				chk.Evidence("round %d, deleted %s (%s): %s", round, victim.Name, victim.Status.PodIP, s)
				total.add(s)
			}
			chk.Backends(total.backends)
			if !t.Failed() {
				chk.Confirm("across %d pod replacements, churn resolved to the ClusterIP %s in all %d answered lookups and %d/%d requests by name answered (%d failed, each followed by an answer within %s)",
					churnRounds, svc.Spec.ClusterIP, total.resolved, total.ok, total.ok+total.failed, total.failed, recoverBound)
			}
			return ctx
		}).Feature()
}

// churnSettled waits (API) until the Deployment has 2 ready pods, none
// terminating, and they are the Service's ready endpoints; it returns them.
func churnSettled(ctx context.Context, t *testing.T, c *kube.Client, ns string) []corev1.Pod {
	t.Helper()
	var ready []corev1.Pod
	err := kube.WaitFor(ctx, "2 ready churn pods that are the Service's endpoints", settleBound, func(ctx context.Context) (kube.Observation, error) {
		list, err := c.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "app=churn"})
		if err != nil {
			return kube.Observation{}, err
		}
		ready = ready[:0]
		var ips []string
		for _, p := range list.Items {
			if p.DeletionTimestamp == nil && kube.PodReady(&p) {
				ready = append(ready, p)
				ips = append(ips, p.Status.PodIP)
			}
		}
		slices.Sort(ips)
		eps, err := kube.ReadyEndpointIPs(ctx, c, ns, "churn")
		if err != nil {
			return kube.Observation{}, err
		}
		done := len(ready) == 2 && slices.Equal(ips, eps)
		return kube.Observation{Done: done, Seen: fmt.Sprintf("ready pods %v, ready endpoints %v", ips, eps)}, nil
	})
	if err != nil {
		verdict.Fatalf(t, "%v", err)
	}
	return ready
}

type churnStats struct {
	looks, resolved, noReply, ok, failed, probeFailures int
	backends                                            map[string]int
}

func (s churnStats) String() string {
	return fmt.Sprintf("%d looks: churn -> ClusterIP in %d (%d without reply), http://churn %d ok %d failed, backends %s; %d probe run(s) that could not run retried",
		s.looks, s.resolved, s.noReply, s.ok, s.failed, world.Counts(s.backends), s.probeFailures)
}

func (s *churnStats) add(o churnStats) {
	s.looks, s.resolved, s.noReply, s.ok, s.failed, s.probeFailures = s.looks+o.looks, s.resolved+o.resolved, s.noReply+o.noReply, s.ok+o.ok, s.failed+o.failed, s.probeFailures+o.probeFailures
	for k, v := range o.backends {
		s.backends[k] += v
	}
}

// churnLooks resolves and requests churn from client until the round has
// settled (the API shows the replacement ready and the deleted pod gone
// from the endpoints), at least 3 looks, and the last request answered.
func churnLooks(ctx context.Context, t *testing.T, c *kube.Client, ns string, client kube.Prober, clusterIP, victimIP string, round int) churnStats {
	t.Helper()
	s := churnStats{backends: map[string]int{}}
	start, lastRan := time.Now(), time.Now()
	var failingSince time.Time // the first failed request of a failing streak
	var lastFailure string
	settled := false
	for first := true; !settled || s.looks < 3 || !failingSince.IsZero(); first = false {
		if !first {
			select {
			case <-ctx.Done():
				verdict.Fatalf(t, "round %d: %v", round, ctx.Err())
			case <-time.After(kube.PollInterval):
			}
		}
		if time.Since(start) > settleBound {
			verdict.Fatalf(t, "round %d: the replacement was not ready in the endpoints within %s", round, settleBound)
		}
		if !settled {
			eps, err := kube.ReadyEndpointIPs(ctx, c, ns, "churn")
			settled = err == nil && len(eps) == 2 && !slices.Contains(eps, victimIP)
		}
		sent := time.Now()
		lctx, cancel := context.WithTimeout(ctx, execTimeout)
		d, derr := client.DNS(lctx, "churn", "A")
		h, herr := client.HTTP(lctx, "http://churn/hostname", 1)
		cancel()
		if derr != nil || herr != nil {
			s.probeFailures++
			if time.Since(lastRan) > execSlack {
				verdict.Fatalf(t, "round %d: %v: no look could run for %s (last: %v %v)", round, errTooSlow, execSlack, derr, herr)
			}
			continue
		}
		lastRan = time.Now()
		s.looks++
		switch {
		case d.RCode == "":
			s.noReply++
		case only(d.Answers, clusterIP):
			s.resolved++
		default:
			verdict.Errorf(t, "round %d: churn resolved to %s, want [%s]", round, dnsSummary(d), clusterIP)
		}
		for b, n := range h.BackendCounts {
			s.backends[b] += n
		}
		if h.OK == 1 {
			s.ok++
			failingSince = time.Time{}
		} else {
			s.failed++
			lastFailure = world.HTTPSummary(h)
			if failingSince.IsZero() {
				failingSince = sent
			}
			if sent.Sub(failingSince) > recoverBound {
				verdict.Fatalf(t, "round %d: requests to http://churn failed from %s after the deletion on, still at a request sent %s later (bound %s): %s",
					round, failingSince.Sub(start).Round(time.Millisecond), sent.Sub(failingSince).Round(time.Millisecond), recoverBound, lastFailure)
			}
		}
	}
	return s
}
