//go:build e2e

package dns

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// watchLatency bounds how long CoreDNS's informer takes to see a Service
// change on a loaded 2-core cluster (typically well under a second).
const watchLatency = 10 * time.Second

// DNS-11: CoreDNS watches services: records appear on create and go on delete.
// MUST: a new Service resolves within watchLatency plus the time CoreDNS may
// cache a negative answer for the zone; after delete it stops resolving
// within watchLatency plus the positive cache time. Both cache times come
// from the cluster's Corefile (cache plugin, kubernetes ttl). Times are
// those at which the queries were sent (see withinBound).
func dns11(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-11", &chk).
		Assess("RecordsFollowServiceCreateAndDelete", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			appearBound := watchLatency + f.coredns.CacheDenial
			goneBound := watchLatency + f.coredns.CacheSuccess
			chk.Evidence("CoreDNS for %s: record ttl %s, positive cache %s, negative cache %s; bounds: appear %s, disappear %s",
				f.zone, f.coredns.RecordTTL, f.coredns.CacheSuccess, f.coredns.CacheDenial, appearBound, goneBound)
			name := "appear." + f.ns + ".svc." + f.zone
			svc := world.CreateService(ctx, t, f.c, kube.Service(f.ns, "appear", "", map[string]string{"app": "server"}, kube.ServicePort("http", 80, 8080)))
			took, err := withinBound(ctx, name+" resolving", appearBound, func(ctx context.Context) (kube.Observation, error) {
				r, err := f.local.DNS(ctx, name, "A", "--no-search")
				return kube.Observation{Done: err == nil && only(r.Answers, svc.Spec.ClusterIP), Seen: dnsSummary(r)}, err
			})
			if err != nil {
				verdict.Fatal(t, err)
			}
			chk.Evidence("created service appear (clusterIP %s): %s resolved after %s", svc.Spec.ClusterIP, name, took.Round(time.Millisecond))
			if err := f.c.CoreV1().Services(f.ns).Delete(ctx, "appear", metav1.DeleteOptions{}); err != nil {
				verdict.Fatal(t, err)
			}
			took, err = withinBound(ctx, name+" gone", goneBound, func(ctx context.Context) (kube.Observation, error) {
				r, err := f.local.DNS(ctx, name, "A", "--no-search")
				return kube.Observation{Done: err == nil && r.RCode == "NXDOMAIN", Seen: dnsSummary(r)}, err
			})
			if err != nil {
				verdict.Fatal(t, err)
			}
			chk.Evidence("deleted service appear: %s -> NXDOMAIN after %s", name, took.Round(time.Millisecond))
			return ctx
		}).Feature()
}

// execSlack is how long past a bound withinBound keeps asking: a query is
// an exec into a pod, which a loaded machine can delay by seconds.
const execSlack = 30 * time.Second

// withinBound asks check every 250 ms until it is done and returns how long
// after the start the query that saw it done was sent. It fails as soon as
// a query sent later than bound after the start is not done: that is the
// cluster answering too late, while a slow exec only makes queries sparse.
func withinBound(ctx context.Context, what string, bound time.Duration, check func(context.Context) (kube.Observation, error)) (time.Duration, error) {
	start := time.Now()
	last := "nothing observed yet"
	for {
		sent := time.Since(start)
		obs, err := check(ctx)
		switch {
		case err == nil && obs.Done:
			return sent, nil
		case err == nil && sent > bound:
			return sent, fmt.Errorf("%s: a query sent %s after the change (bound %s) still saw %s", what, sent.Round(time.Millisecond), bound, obs.Seen)
		case err != nil:
			last = "error: " + err.Error()
		default:
			last = obs.Seen
		}
		if time.Since(start) > bound+execSlack {
			return sent, fmt.Errorf("%s: no query answered within %s; last observed: %s", what, bound+execSlack, last)
		}
		select {
		case <-ctx.Done():
			return sent, ctx.Err()
		case <-time.After(kube.PollInterval):
		}
	}
}
