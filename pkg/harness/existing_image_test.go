package harness

import (
	"testing"

	"gotest.tools/v3/assert"
	corev1 "k8s.io/api/core/v1"
)

func TestProbeImageForKeepsTheHashTagUnderTheRepo(t *testing.T) {
	for repo, want := range map[string]string{
		"":                        "netconform.local/probe:d8155d0003a3",
		"localhost:5999/nothing":  "localhost:5999/nothing/netconform-probe:d8155d0003a3",
		"ghcr.io/me/":             "ghcr.io/me/netconform-probe:d8155d0003a3",
		"registry.example.com:80": "registry.example.com:80/netconform-probe:d8155d0003a3",
	} {
		got, err := probeImageFor("netconform.local/probe:d8155d0003a3", repo)
		assert.NilError(t, err, repo)
		assert.Equal(t, got, want, repo)
	}
}

func TestProbeImageForRejectsWhatIsNotARepo(t *testing.T) {
	for repo, want := range map[string]string{
		"ghcr.io/me/probe:v1":   "ends in a tag",
		"ghcr.io/me@sha256:abc": "digest",
		"ghcr.io/Me":            "lower case",
		"ghcr.io/me probe":      "space",
	} {
		_, err := probeImageFor("netconform.local/probe:d8155d0003a3", repo)
		assert.ErrorContains(t, err, want, repo)
		assert.ErrorContains(t, err, "--image-repo", repo)
	}
}

func TestPullPolicy(t *testing.T) {
	assert.Equal(t, pullPolicyFor(""), corev1.PullNever)
	assert.Equal(t, pullPolicyFor("ghcr.io/me"), corev1.PullIfNotPresent)
	assert.Equal(t, (&Suite{ImageRepo: "ghcr.io/me"}).ProbePullPolicy(), corev1.PullIfNotPresent)
}
