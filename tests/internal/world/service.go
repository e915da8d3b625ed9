//go:build e2e

package world

import (
	"context"
	"fmt"
	"net/netip"
	"sort"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kindcluster"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// CreateService creates svc and returns it as the API server stored it.
func CreateService(ctx context.Context, t *testing.T, c *kube.Client, svc *corev1.Service) *corev1.Service {
	got, err := c.CoreV1().Services(svc.Namespace).Create(ctx, svc, metav1.CreateOptions{})
	if err != nil {
		verdict.Fatal(t, fmt.Errorf("create service %s/%s: %w", svc.Namespace, svc.Name, err))
	}
	return got
}

// WaitHTTP polls url from p until a request succeeds (the service's rules
// are programmed) and returns that result; extra are more `probe http` flags.
func WaitHTTP(ctx context.Context, p kube.Prober, url string, timeout time.Duration, extra ...string) (probe.HTTPResult, error) {
	var r probe.HTTPResult
	err := kube.WaitFor(ctx, fmt.Sprintf("%s answering %s", url, p), timeout, func(ctx context.Context) (kube.Observation, error) {
		var err error
		r, err = p.HTTP(ctx, url, 1, append([]string{"--timeout", "1s"}, extra...)...)
		if err != nil {
			return kube.Observation{}, err
		}
		return kube.Observation{Done: r.OK == 1, Seen: HTTPSummary(r)}, nil
	})
	return r, err
}

// EveryBackend requests url from p, a batch of tries at a time, until each
// of backends (pod names) has answered at least once, within timeout, and
// returns every try's result merged. A claim that spans nodes thereby checks
// each client-backend pair it names, so one broken node changes it the same
// way every time, instead of passing on whichever backend answers first.
// With k backends chosen uniformly, a backend is missed by a batch of 10
// with probability ((k-1)/k)^10 (1.7% for 3); the looks go on until the
// timeout, so a healthy cluster is not failed by chance.
func EveryBackend(ctx context.Context, p kube.Prober, url string, backends []string, timeout time.Duration, extra ...string) (probe.HTTPResult, error) {
	var sum probe.HTTPResult
	missing := func() []string {
		var out []string
		for _, b := range backends {
			if sum.BackendCounts[b] == 0 {
				out = append(out, b)
			}
		}
		return out
	}
	err := kube.WaitFor(ctx, fmt.Sprintf("every backend of %s answering %s", url, p), timeout, func(ctx context.Context) (kube.Observation, error) {
		r, err := p.HTTP(ctx, url, 10, append([]string{"--timeout", "1s"}, extra...)...)
		if err != nil {
			return kube.Observation{}, err
		}
		sum.Merge(r)
		left := missing()
		return kube.Observation{Done: len(left) == 0, Seen: fmt.Sprintf("%s; not yet answered: %v", HTTPSummary(sum), left)}, nil
	})
	return sum, err
}

// ServerNames are the pod names of the world's servers.
func (w *World) ServerNames() []string { return Names(w.Servers) }

// Names are the pod names of members.
func Names(members []Member) []string {
	out := make([]string, len(members))
	for i, m := range members {
		out[i] = m.Pod
	}
	return out
}

// ServiceCIDRs are the cluster's service ranges: the ServiceCIDR objects
// where the API has them, else the range of a cluster the suite made.
func ServiceCIDRs(ctx context.Context, c *kube.Client) ([]netip.Prefix, error) {
	var out []netip.Prefix
	list, err := c.NetworkingV1().ServiceCIDRs().List(ctx, metav1.ListOptions{})
	if err == nil {
		for _, sc := range list.Items {
			for _, cidr := range sc.Spec.CIDRs {
				if p, err := netip.ParsePrefix(cidr); err == nil {
					out = append(out, p)
				}
			}
		}
	}
	if len(out) == 0 && harness.Current().Kind {
		out = append(out, netip.MustParsePrefix(kindcluster.ServiceSubnet))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the service CIDR is not discoverable (no ServiceCIDR objects: %v)", err)
	}
	return out, nil
}

// ReadyPodIPs lists the IPs of ready pods matching selector.
func ReadyPodIPs(ctx context.Context, c *kube.Client, ns, selector string) ([]string, error) {
	pods, err := c.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		return nil, err
	}
	var ips []string
	for i := range pods.Items {
		if kube.PodReady(&pods.Items[i]) {
			ips = append(ips, pods.Items[i].Status.PodIP)
		}
	}
	sort.Strings(ips)
	return ips, nil
}

// WaitEndpoints waits until a Service has exactly n ready endpoints.
func WaitEndpoints(ctx context.Context, c *kube.Client, ns, svc string, n int) error {
	return kube.WaitFor(ctx, fmt.Sprintf("%d ready endpoints of %s/%s", n, ns, svc), time.Minute, func(ctx context.Context) (kube.Observation, error) {
		ips, err := kube.ReadyEndpointIPs(ctx, c, ns, svc)
		return kube.Observation{Done: err == nil && len(ips) == n, Seen: fmt.Sprintf("ready endpoints %v", ips)}, err
	})
}

// ReachBound is how long a path that must work may take to start answering
// (a new Service's rules programmed on every node of a busy cluster).
const ReachBound = time.Minute

// Answered sends n requests for url from p, and then, while only timeouts
// fell short (a try that timed out got no answer from any backend, so it
// says nothing of where the Service routes: on a CPU-starved 2-core host one
// in 60 can), the shortfall again, twice at most. Every try is in the
// result; a refusal, an unreachable address or an answer from a backend the
// claim does not expect stays in it for the claim to judge.
func Answered(ctx context.Context, p kube.Prober, url string, n int) (probe.HTTPResult, error) {
	r, err := p.HTTP(ctx, url, n)
	for retry := 0; err == nil && retry < 2 && r.OK < n && r.ErrorCount == r.Timeouts; retry++ {
		var more probe.HTTPResult
		if more, err = p.HTTP(ctx, url, n-r.OK); err == nil {
			r.Merge(more)
		}
	}
	return r, err
}
