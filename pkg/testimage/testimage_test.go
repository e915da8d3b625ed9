package testimage

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

func TestRefChangesWithSourcesNotWithTests(t *testing.T) {
	root := t.TempDir()
	src := filepath.Join(root, "fixtures", "testimage")
	assert.NilError(t, os.MkdirAll(src, 0o755))
	write := func(name, content string) {
		assert.NilError(t, os.WriteFile(filepath.Join(src, name), []byte(content), 0o644))
	}
	write("main.go", "package main\n")
	first, err := Ref(root)
	assert.NilError(t, err)
	assert.Assert(t, strings.HasPrefix(first, Repo+":"))

	write("main_test.go", "package main\n")
	same, err := Ref(root)
	assert.NilError(t, err)
	assert.Equal(t, same, first, "test files are not image inputs")

	write("main.go", "package main // changed\n")
	changed, err := Ref(root)
	assert.NilError(t, err)
	assert.Assert(t, changed != first)
}

func TestRefWithoutSourcesIsAnError(t *testing.T) {
	_, err := Ref(t.TempDir())
	assert.ErrorContains(t, err, "no test image sources")
}
