package kube

import (
	"context"
	"errors"
	"testing"
	"time"

	"gotest.tools/v3/assert"
)

func TestLoadSummarisesExecsAndThrottling(t *testing.T) {
	l := &Load{}
	assert.Equal(t, l.String(), "no probes")
	for _, d := range []time.Duration{time.Second, 2 * time.Second, 3 * time.Second} {
		l.exec("SVC-01", d, nil)
	}
	l.exec("DNS-01", 20*time.Second, errors.New("context deadline exceeded"))
	l.throttle(500 * time.Microsecond) // not a wait worth counting
	l.throttle(1500 * time.Millisecond)
	assert.Equal(t, l.String(), "4 execs (p50 2s, p90 3s, max 20s, 1 failed); 1 requests waited 1.5s in the client's rate limiter")
	l.agent("SVC-01", 100*time.Millisecond)
	assert.Equal(t, l.String(), "1 probes by agent (p50 100ms, p90 100ms, max 100ms); 4 execs (p50 2s, p90 3s, max 20s, 1 failed); 1 requests waited 1.5s in the client's rate limiter")
}

func TestLoadListsClaimsByExecTime(t *testing.T) {
	l := &Load{}
	l.exec(claimOf(WithClaim(context.Background(), "SVC-01")), time.Second, nil)
	l.exec(claimOf(WithClaim(context.Background(), "SVC-01")), time.Second, nil)
	l.exec(claimOf(WithClaim(context.Background(), "DNS-01")), 5*time.Second, nil)
	l.agent(claimOf(context.Background()), time.Second)
	assert.Equal(t, l.ByClaim(), "DNS-01 1 probes 5s\nSVC-01 2 probes 2s\n(set-up) 1 probes 1s\n")
}
