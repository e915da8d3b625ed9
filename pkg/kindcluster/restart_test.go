package kindcluster

import (
	"testing"

	"gotest.tools/v3/assert"
)

func TestStoppedNodesAreTheOnesNotRunning(t *testing.T) {
	ps := "nc-control-plane running\nnc-worker exited\nnc-worker2 created\n"
	assert.DeepEqual(t, stoppedNodes(ps), []string{"nc-worker", "nc-worker2"})
	assert.Equal(t, len(stoppedNodes("")), 0)
}
