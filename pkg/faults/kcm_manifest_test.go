package faults

import (
	"os"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

func TestWithControllerDisabledAppendsToTheFlag(t *testing.T) {
	raw, err := os.ReadFile("testdata/kube-controller-manager.yaml")
	assert.NilError(t, err)
	m := string(raw)
	edited, err := WithControllerDisabled(m, "endpointslice-controller")
	assert.NilError(t, err)
	assert.Equal(t, edited, strings.Replace(m,
		"    - --controllers=*,bootstrapsigner,tokencleaner\n",
		"    - --controllers=*,bootstrapsigner,tokencleaner,-endpointslice-controller\n", 1))
	assert.Equal(t, manifestControllers(edited), "*,bootstrapsigner,tokencleaner,-endpointslice-controller")

	_, err = WithControllerDisabled(edited, "endpointslice-controller")
	assert.ErrorContains(t, err, "already")
}

func TestWithControllerDisabledAddsTheFlag(t *testing.T) {
	m := "spec:\n  containers:\n  - command:\n    - kube-controller-manager\n    - --leader-elect=true\n"
	edited, err := WithControllerDisabled(m, "endpointslice-controller")
	assert.NilError(t, err)
	assert.Equal(t, edited, "spec:\n  containers:\n  - command:\n    - kube-controller-manager\n    - --controllers=*,-endpointslice-controller\n    - --leader-elect=true\n")
	assert.Equal(t, manifestControllers(m), "")

	_, err = WithControllerDisabled("kind: Pod\n", "endpointslice-controller")
	assert.ErrorContains(t, err, "no `- kube-controller-manager`")
}

func TestKCMProcessesFromPS(t *testing.T) {
	ps := "/sbin/init\nkube-controller-manager --allocate-node-cidrs=true --controllers=*,-endpointslice-controller --leader-elect=true\n" +
		"/usr/bin/kubelet --config=/var/lib/kubelet/config.yaml\ngrep kube-controller-manager\n"
	procs := kcmProcesses(ps)
	assert.Equal(t, len(procs), 1)
	assert.Equal(t, controllersFlag(procs[0]), "*,-endpointslice-controller")
}
