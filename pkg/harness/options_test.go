package harness

import (
	"strconv"
	"testing"

	"gotest.tools/v3/assert"
)

func TestABooleanVariableIsOneParseBoolKnowsOrAnError(t *testing.T) {
	for v, want := range map[string]string{"": "false", "1": "true", "0": "false", "true": "true", "FALSE": "false", "yes": "error", "on": "error", " 1": "error"} {
		t.Setenv("NETCONFORM_TEST_BOOL", v)
		b, err := envBool("NETCONFORM_TEST_BOOL")
		got := strconv.FormatBool(b)
		if err != nil {
			got = "error"
		}
		assert.Equal(t, got, want, "%q: %v", v, err)
	}
}

func TestARelativeArtifactsDirectoryIsRefusedBeforeAnythingIsMade(t *testing.T) {
	t.Setenv("NETCONFORM_RESULTS", "")
	o := &Options{MaxNodes: "8", Artifacts: "out"}
	_, err := o.validate()
	assert.ErrorContains(t, err, "relative path")
	o.Artifacts = t.TempDir()
	_, err = o.validate()
	assert.NilError(t, err)
	t.Setenv("NETCONFORM_RESULTS", "r.jsonl")
	_, err = o.validate()
	assert.ErrorContains(t, err, "NETCONFORM_RESULTS")
}
