package filelock

import (
	"path/filepath"
	"testing"

	"gotest.tools/v3/assert"
)

func TestLockExcludesUntilReleased(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "x.lock")
	unlock, err := Lock(path)
	assert.NilError(t, err)
	_, ok, err := TryLock(path) // flock is per open file, so this contends even in one process
	assert.NilError(t, err)
	assert.Assert(t, !ok, "a held lock must not be taken again")
	unlock()
	unlock2, ok, err := TryLock(path)
	assert.NilError(t, err)
	assert.Assert(t, ok)
	unlock2()
}
