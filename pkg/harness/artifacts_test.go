package harness

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

func TestASecondRunInOneCheckoutWritesToADirectoryOfItsOwn(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("NETCONFORM_RESULTS", "")
	t.Setenv(artifactsHeldEnv, "")
	first, err := claimArtifacts(dir, io.Discard)
	assert.NilError(t, err)
	assert.Equal(t, first, dir)
	held := artifactsUnlock
	defer held()

	// Another open file description of the same lock is another run.
	second, err := claimArtifacts(dir, io.Discard)
	assert.NilError(t, err)
	defer artifactsUnlock()
	assert.Assert(t, strings.HasPrefix(second, filepath.Join(dir, "runs")+"/"), second)
	assert.Equal(t, os.Getenv("NETCONFORM_RESULTS"), filepath.Join(second, "results.jsonl"))
}

func TestADirectoryTheCallerHoldsIsUsedAsItIs(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(artifactsHeldEnv, dir)
	got, err := claimArtifacts(dir, io.Discard)
	assert.NilError(t, err)
	assert.Equal(t, got, dir)
}

func TestResultsNamedElsewhereStayWhereTheyAre(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(artifactsHeldEnv, "")
	t.Setenv("NETCONFORM_RESULTS", "/elsewhere/results.jsonl")
	_, err := claimArtifacts(dir, io.Discard)
	assert.NilError(t, err)
	held := artifactsUnlock
	defer held()
	_, err = claimArtifacts(dir, io.Discard)
	assert.NilError(t, err)
	defer artifactsUnlock()
	assert.Equal(t, os.Getenv("NETCONFORM_RESULTS"), "/elsewhere/results.jsonl")
}
