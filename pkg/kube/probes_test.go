package kube

import (
	"errors"
	"fmt"
	"testing"

	"gotest.tools/v3/assert"
	utilexec "k8s.io/utils/exec"
)

func TestExecChannelFailed(t *testing.T) {
	exited := fmt.Errorf("exec /probe http in ns/pod: %w", utilexec.CodeExitError{Err: errors.New("command terminated with exit code 2"), Code: 2})
	assert.Assert(t, !execChannelFailed(nil), "success")
	assert.Assert(t, !execChannelFailed(exited), "the command ran and exited non-zero")
	assert.Assert(t, execChannelFailed(errors.New("error dialing backend: EOF")), "the stream failed")
	assert.Assert(t, execChannelFailed(errors.New("the command printed nothing")), "no output")
}
