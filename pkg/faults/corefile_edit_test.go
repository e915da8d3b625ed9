package faults

import (
	"os"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

func TestWithoutPodRecordsRemovesOnlyThePodsLine(t *testing.T) {
	raw, err := os.ReadFile("testdata/Corefile")
	assert.NilError(t, err)
	cf := string(raw)
	assert.Equal(t, podsMode(cf, "cluster.local"), "insecure")

	edited, err := WithoutPodRecords(cf)
	assert.NilError(t, err)
	assert.Equal(t, podsMode(edited, "cluster.local"), "disabled")
	assert.Equal(t, edited, strings.Replace(cf, "       pods insecure\n", "", 1), "every other byte kept")

	_, err = WithoutPodRecords(edited)
	assert.ErrorContains(t, err, "off already")
}

// A `pods` word elsewhere (another plugin, a comment) is not the option.
func TestWithoutPodRecordsLeavesOtherPluginsAlone(t *testing.T) {
	cf := ".:53 {\n    hosts {\n       pods insecure\n    }\n    kubernetes cluster.local {\n       # pods verified\n       pods verified\n    }\n}\n"
	edited, err := WithoutPodRecords(cf)
	assert.NilError(t, err)
	assert.Equal(t, edited, ".:53 {\n    hosts {\n       pods insecure\n    }\n    kubernetes cluster.local {\n       # pods verified\n    }\n}\n")
}

func TestClusterZone(t *testing.T) {
	raw, err := os.ReadFile("testdata/Corefile")
	assert.NilError(t, err)
	assert.Equal(t, clusterZone(string(raw)), "cluster.local")
	assert.Equal(t, clusterZone(".:53 {\n kubernetes example.org. {\n }\n}"), "example.org")
	assert.Equal(t, clusterZone(".:53 {\n forward . 1.1.1.1\n}"), "cluster.local")
}
