package kindcluster

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

func TestRunScriptGetsTheClusterAndReportsItsFailure(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "install-cni.sh")
	assert.NilError(t, os.WriteFile(script, []byte(`#!/bin/sh
echo "kubeconfig=$KUBECONFIG cluster=$NETCONFORM_CLUSTER_NAME cp=$NETCONFORM_CONTROL_PLANE pods=$NETCONFORM_POD_SUBNET dir=$(pwd)"
[ -z "$FAIL" ] || { echo "no such CNI image" >&2; exit 3; }
`), 0o755))
	d, err := ParseDataplane(script, "", DualStack)
	assert.NilError(t, err)
	var log bytes.Buffer
	assert.NilError(t, runScript(context.Background(), "nc", "/k/config", "nc-control-plane", "nc-control-plane:6443", d, &log))
	assert.Assert(t, strings.Contains(log.String(), "cni script: kubeconfig=/k/config cluster=nc cp=nc-control-plane pods=10.244.0.0/16,fd00:10:244::/56 dir="+dir), log.String())

	t.Setenv("FAIL", "1")
	err = runScript(context.Background(), "nc", "/k/config", "nc-control-plane", "nc-control-plane:6443", d, &log)
	assert.ErrorContains(t, err, "exit status 3")
	assert.ErrorContains(t, err, "no such CNI image")
}
