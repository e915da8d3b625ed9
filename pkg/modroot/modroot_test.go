package modroot

import (
	"os"
	"path/filepath"
	"testing"

	"gotest.tools/v3/assert"
)

func TestFromFindsTheNearestGoMod(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "tests", "dns")
	assert.NilError(t, os.MkdirAll(deep, 0o755))
	assert.NilError(t, os.WriteFile(filepath.Join(root, "go.mod"), []byte("module x\n"), 0o644))
	got, err := from(deep)
	assert.NilError(t, err)
	assert.Equal(t, got, root)
}

func TestFromFailsOutsideAModule(t *testing.T) {
	_, err := from(t.TempDir())
	assert.ErrorContains(t, err, "no go.mod above")
}
