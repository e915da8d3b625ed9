//go:build e2e

package svc

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
)

// A negative network check polls (as upstream's testNotReachable does)
// rather than trusting one timeout: silentTries requests, each with
// silentTimeout, silentInterval apart, so over at least 5 s (tries refused
// at once) and about 11 s (tries that time out); every one must go
// unanswered.
const (
	silentTries    = 6
	silentTimeout  = time.Second
	silentInterval = time.Second
)

// silence is how a negative check's tries failed.
type silence struct {
	r       probe.HTTPResult
	elapsed time.Duration
}

func (s silence) String() string {
	other := s.r.ErrorCount - s.r.Refused - s.r.Timeouts - s.r.Unreachable
	return fmt.Sprintf("%d/%d tries unanswered over %s (refused %d, timeout %d, unreachable %d, other %d)",
		s.r.Tries-s.r.OK, s.r.Tries, s.elapsed.Round(100*time.Millisecond), s.r.Refused, s.r.Timeouts, s.r.Unreachable, other)
}

// neverAnswers polls url from client and reports whether no try got any
// answer (not even an error status). Call it only after a positive check
// from the same client in the same run. A probe that could not run (its
// exec failed after the prober's own retries, or it made fewer tries)
// fails t as a probe failure: it is no answer from the cluster.
func neverAnswers(ctx context.Context, t *testing.T, chk *verdict.Check, client kube.Prober, url, what string) (silence, bool) {
	t.Helper()
	start := time.Now()
	r, err := client.HTTP(ctx, url, silentTries, "--timeout", silentTimeout.String(), "--interval", silentInterval.String())
	s := silence{r: r, elapsed: time.Since(start)}
	if err != nil {
		verdict.Fatalf(t, "probe failure, not the cluster's answer: %s could not probe %s: %v", client, url, err)
	}
	if r.Tries != silentTries {
		verdict.Fatalf(t, "probe failure, not the cluster's answer: %s made %d of %d tries to %s", client, r.Tries, silentTries, url)
	}
	answered := countStatuses(r)
	world.Evidence(chk, client, url+" ("+what+")", s.String()+statusNote(r))
	if answered > 0 {
		verdict.Errorf(t, "%s answered on %s: %s", what, url, world.HTTPSummary(r))
		return s, false
	}
	return s, true
}

// countStatuses is how many tries got an HTTP response of any status.
func countStatuses(r probe.HTTPResult) int {
	n := 0
	for _, c := range r.Statuses {
		n += c
	}
	return max(n, r.OK)
}

func statusNote(r probe.HTTPResult) string {
	if len(r.Statuses) == 0 {
		return ""
	}
	return fmt.Sprintf(", HTTP statuses %v", r.Statuses)
}
