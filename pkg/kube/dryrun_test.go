package kube

import (
	"testing"

	"gotest.tools/v3/assert"
)

func TestDecodeManifest(t *testing.T) {
	obj, err := DecodeManifest([]byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"))
	assert.NilError(t, err)
	assert.Equal(t, obj.GetName(), "web")
	assert.Equal(t, obj.GroupVersionKind().Group, "apps")

	_, err = DecodeManifest([]byte("metadata:\nname: x (1)\nports: (3)\n- protocol: TCP\n"))
	assert.ErrorContains(t, err, "not valid YAML")

	_, err = DecodeManifest([]byte("just text"))
	assert.ErrorContains(t, err, "not a Kubernetes object")
}
