package kube

import (
	"testing"

	"gotest.tools/v3/assert"
)

func TestRunLabelRoundTrips(t *testing.T) {
	r := Run{Host: ThisHost(), PID: 4188, Start: 138603}
	got, ok := ParseRun(r.String())
	assert.Assert(t, ok)
	assert.Equal(t, got, r)
	assert.Assert(t, len(r.String()) <= 63, "a label value")
	for _, bad := range []string{"", "true", "abc-1", "abc-x-2", "-1-2"} {
		_, ok := ParseRun(bad)
		assert.Assert(t, !ok, bad)
	}
}
