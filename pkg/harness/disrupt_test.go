package harness

import (
	"context"
	"testing"
	"time"

	"gotest.tools/v3/assert"
)

func TestHoldDisruptionIsExclusive(t *testing.T) {
	release, err := HoldDisruption(context.Background(), time.Second)
	assert.NilError(t, err)
	_, err = HoldDisruption(context.Background(), 20*time.Millisecond)
	assert.ErrorContains(t, err, "another disruptive claim")
	release()
	again, err := HoldDisruption(context.Background(), time.Second)
	assert.NilError(t, err)
	again()
}
