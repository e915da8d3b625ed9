package kube

import (
	"context"
	"errors"
	"testing"
	"time"

	"gotest.tools/v3/assert"
)

func TestWaitForReturnsWhenDone(t *testing.T) {
	n := 0
	err := WaitFor(context.Background(), "three looks", 3*PollInterval, func(context.Context) (Observation, error) {
		n++
		return Observation{Done: n == 3, Seen: "n=" + string(rune('0'+n))}, nil
	})
	assert.NilError(t, err)
	assert.Equal(t, n, 3)
}

func TestWaitForReportsLastObservation(t *testing.T) {
	calls := 0
	err := WaitFor(context.Background(), "pods ready", 600*time.Millisecond, func(context.Context) (Observation, error) {
		calls++
		if calls == 1 {
			return Observation{}, errors.New("connection refused")
		}
		return Observation{Seen: "1/3 ready: web-1 Pending (Unschedulable)"}, nil
	})
	assert.ErrorContains(t, err, "pods ready: not reached within")
	assert.ErrorContains(t, err, "last observed: 1/3 ready: web-1 Pending (Unschedulable)")
}
