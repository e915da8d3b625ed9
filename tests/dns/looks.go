//go:build e2e

package dns

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
)

// watchLatency bounds how long CoreDNS's informer takes to see a Service
// or EndpointSlice change on a loaded 2-core cluster (typically well under
// a second).
const watchLatency = 10 * time.Second

// A negative answer (NXDOMAIN) counts only if every look that was answered
// in negativeFor, at least negativeLooks of them, was NXDOMAIN.
const (
	negativeFor   = 3 * time.Second
	negativeLooks = 3
)

// recordBound is how long a new Service's records may take to show: the
// watch latency plus the time an earlier negative answer may be cached.
// The fixture's Services are seconds old when the claims start.
func (f *fixture) recordBound() time.Duration { return watchLatency + f.coredns.CacheDenial }

// changeBound is how long a change to existing records may take to show:
// the watch latency plus the longer of the two cache times.
func (f *fixture) changeBound() time.Duration {
	return watchLatency + max(f.coredns.CacheSuccess, f.coredns.CacheDenial)
}

// dnsLook is one query of name from p as a look: a probe that could not
// run is an error; last keeps the answer of the latest look that ran.
func dnsLook(p kube.Prober, name, qtype string, extra []string, last *probe.DNSResult, done func(probe.DNSResult) bool) func(context.Context) (kube.Observation, error) {
	return func(ctx context.Context) (kube.Observation, error) {
		r, err := p.DNS(ctx, name, qtype, extra...)
		if err != nil {
			return kube.Observation{}, err
		}
		*last = r
		return kube.Observation{Done: done(r), Seen: dnsSummary(r)}, nil
	}
}

// resolves asks p for name until done holds of the answer, within bound,
// and records the answer; if it does not hold in time, that is asserted
// (verdict.Errorf, with the last answer or why no look could run) and
// resolves reports false.
func resolves(ctx context.Context, t *testing.T, chk *verdict.Check, p kube.Prober, name, qtype string, bound time.Duration, done func(probe.DNSResult) bool, extra ...string) (probe.DNSResult, bool) {
	t.Helper()
	var r probe.DNSResult
	w, err := converge(ctx, fmt.Sprintf("%s -> %s %s", p, qtype, name), bound, dnsLook(p, name, qtype, extra, &r, done))
	chk.Evidence("%s -> %s %s%s = %s (%s)", p, qtype, name, flags(extra), dnsSummary(r), w)
	if err != nil {
		verdict.Errorf(t, "%v", err)
		return r, false
	}
	return r, true
}

// is holds of an answer that is exactly want, as a set.
func is(want ...string) func(probe.DNSResult) bool {
	return func(r probe.DNSResult) bool { return only(r.Answers, want...) }
}

// answered holds of an answer with records, whatever they are.
func answered(r probe.DNSResult) bool { return len(r.Answers) > 0 }

// negative is what nxdomain saw: how many looks were NXDOMAIN, and the
// first answered look that was not.
type negative struct {
	nxdomain, noReply, probeFailures int
	span                             time.Duration
	other                            *probe.DNSResult
}

func (n negative) String() string {
	s := fmt.Sprintf("NXDOMAIN in %d/%d answered looks over %s", n.nxdomain, n.nxdomain+btoi(n.other != nil), n.span.Round(time.Millisecond))
	if n.noReply > 0 {
		s += fmt.Sprintf(", %d look(s) without a reply not counted", n.noReply)
	}
	if n.probeFailures > 0 {
		s += fmt.Sprintf(", %d probe run(s) that could not run retried", n.probeFailures)
	}
	return s
}

// nxdomain asks p for name for negativeFor, at least negativeLooks times,
// and records what it saw. It stops at the first answer that is not
// NXDOMAIN (n.other), which the caller judges. A look without a reply or
// whose probe could not run says nothing and is not counted; an error means
// too few looks were answered to judge.
func nxdomain(ctx context.Context, t *testing.T, chk *verdict.Check, p kube.Prober, name, qtype string, extra ...string) (negative, error) {
	t.Helper()
	var n negative
	var lastErr error
	start := time.Now()
	for {
		lctx, cancel := context.WithTimeout(ctx, execTimeout)
		r, err := p.DNS(lctx, name, qtype, extra...)
		cancel()
		switch {
		case err != nil:
			n.probeFailures++
			lastErr = err
		case r.RCode == "":
			n.noReply++
			lastErr = errors.New(dnsSummary(r))
		case r.RCode == "NXDOMAIN" && len(r.Answers) == 0:
			n.nxdomain++
		default:
			n.other = &r
			n.span = time.Since(start)
			chk.Evidence("%s -> %s %s%s = %s, after %s", p, qtype, name, flags(extra), dnsSummary(r), n)
			return n, nil
		}
		if n.nxdomain >= negativeLooks && time.Since(start) >= negativeFor {
			n.span = time.Since(start)
			chk.Evidence("%s -> %s %s%s = %s", p, qtype, name, flags(extra), n)
			return n, nil
		}
		if time.Since(start) > negativeFor+execSlack {
			n.span = time.Since(start)
			chk.Evidence("%s -> %s %s%s: %s", p, qtype, name, flags(extra), n)
			if n.noReply > n.probeFailures {
				return n, fmt.Errorf("%s -> %s %s: the cluster DNS did not reply to %d of %d looks (last: %v), so its silence is no NXDOMAIN", p, qtype, name, n.noReply, n.noReply+n.nxdomain, lastErr)
			}
			return n, fmt.Errorf("%s -> %s %s: %w: %d NXDOMAIN of the %d looks needed in %s; %d probe run(s) failed, the last with %v", p, qtype, name, errTooSlow, n.nxdomain, negativeLooks, negativeFor+execSlack, n.probeFailures, lastErr)
		}
		select {
		case <-ctx.Done():
			return n, ctx.Err()
		case <-time.After(kube.PollInterval):
		}
	}
}

// answers requests url from p until one try succeeds, within bound, and
// records the result; if none does in time, that is asserted and answers
// reports false.
func answers(ctx context.Context, t *testing.T, chk *verdict.Check, p kube.Prober, url string, bound time.Duration) (probe.HTTPResult, bool) {
	t.Helper()
	var r probe.HTTPResult
	w, err := converge(ctx, fmt.Sprintf("%s -> %s", p, url), bound, func(ctx context.Context) (kube.Observation, error) {
		h, err := p.HTTP(ctx, url, 1)
		if err != nil {
			return kube.Observation{}, err
		}
		r = h
		return kube.Observation{Done: h.OK == 1, Seen: world.HTTPSummary(h)}, nil
	})
	world.Evidence(chk, p, url, fmt.Sprintf("%s (%s)", world.HTTPSummary(r), w))
	if err != nil {
		verdict.Errorf(t, "%v", err)
		return r, false
	}
	return r, true
}

func flags(extra []string) string {
	s := ""
	for _, e := range extra {
		s += " " + e
	}
	return s
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
