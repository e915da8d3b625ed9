package kube

import (
	"errors"
	"testing"
	"time"

	"gotest.tools/v3/assert"
)

func TestLoadSummarisesExecsAndThrottling(t *testing.T) {
	l := &Load{}
	assert.Equal(t, l.String(), "no execs")
	for _, d := range []time.Duration{time.Second, 2 * time.Second, 3 * time.Second} {
		l.exec(d, nil)
	}
	l.exec(20*time.Second, errors.New("context deadline exceeded"))
	l.throttle(500 * time.Microsecond) // not a wait worth counting
	l.throttle(1500 * time.Millisecond)
	assert.Equal(t, l.String(), "4 execs (p50 2s, p90 3s, max 20s, 1 failed); 1 requests waited 1.5s in the client's rate limiter")
}
