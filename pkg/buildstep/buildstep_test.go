package buildstep

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

func TestMirrorInReadsOneLineAndDeb822Sources(t *testing.T) {
	dir := t.TempDir()
	oneLine := filepath.Join(dir, "sources.list")
	assert.NilError(t, os.WriteFile(oneLine, []byte("# deb http://old/debian x\ndeb http://mirror.example/debian/ bookworm main\n"), 0o644))
	assert.Equal(t, mirrorIn(oneLine), "http://mirror.example/debian")
	deb822 := filepath.Join(dir, "debian.sources")
	assert.NilError(t, os.WriteFile(deb822, []byte("Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm\n"), 0o644))
	assert.Equal(t, mirrorIn(deb822), "http://deb.debian.org/debian")
	security := filepath.Join(dir, "security.sources")
	assert.NilError(t, os.WriteFile(security, []byte("URIs: http://deb.debian.org/debian-security\n"), 0o644))
	assert.Equal(t, mirrorIn(security), "")
}

func TestCommandErrorCarriesTheTailOfItsOutputAndStdout(t *testing.T) {
	var log strings.Builder
	out, err := Command{Name: "sh", Args: []string{"-c", "echo partial; echo why >&2; exit 3"}, Log: &log}.Output(context.Background())
	assert.ErrorContains(t, err, "why")
	assert.Equal(t, out, "partial\n", "stdout is returned on failure too")
	assert.Assert(t, strings.Contains(log.String(), "$ sh -c"), log.String())
}

func TestCopyTreeMakesReadOnlySourcesWritable(t *testing.T) {
	src, dst := t.TempDir(), filepath.Join(t.TempDir(), "copy")
	assert.NilError(t, os.MkdirAll(filepath.Join(src, "d"), 0o755))
	assert.NilError(t, os.WriteFile(filepath.Join(src, "d", "f"), []byte("x"), 0o444))
	assert.NilError(t, os.Symlink("d/f", filepath.Join(src, "l")))
	assert.NilError(t, CopyTree(src, dst))
	st, err := os.Stat(filepath.Join(dst, "d", "f"))
	assert.NilError(t, err)
	assert.Assert(t, st.Mode().Perm()&0o200 != 0)
	link, err := os.Readlink(filepath.Join(dst, "l"))
	assert.NilError(t, err)
	assert.Equal(t, link, "d/f")
	assert.Assert(t, !Complete(dst))
	assert.NilError(t, MarkComplete(dst))
	assert.Assert(t, Complete(dst))
}

func TestDecodeModulesKeepsEachModulesError(t *testing.T) {
	mods, err := DecodeModules(`{"Path":"a","Version":"v1","Dir":"/m/a"}
{"Path":"b","Version":"v2","Error":"not found"}`)
	assert.NilError(t, err)
	assert.DeepEqual(t, mods, []Module{{Path: "a", Version: "v1", Dir: "/m/a"}, {Path: "b", Version: "v2", Error: "not found"}})
}
