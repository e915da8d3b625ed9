package harness

import (
	"context"
	"testing"
	"time"

	"gotest.tools/v3/assert"
)

func TestDisruptiveClaimsWaitForEveryArea(t *testing.T) {
	var a, b testing.T
	JoinArea(&a)
	JoinArea(&b)
	waited := make(chan error, 1)
	go func() { waited <- WaitOtherClaims(context.Background(), 10*time.Second) }()
	OtherClaimsDone(&a)
	select {
	case err := <-waited:
		t.Fatalf("returned with one area of two done: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	OtherClaimsDone(&b)
	OtherClaimsDone(&b) // twice counts once
	assert.NilError(t, <-waited)
	assert.ErrorContains(t, func() error {
		JoinArea(&testing.T{})
		return WaitOtherClaims(context.Background(), 50*time.Millisecond)
	}(), "2 of 3 areas done")
}
