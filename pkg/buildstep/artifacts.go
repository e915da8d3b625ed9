package buildstep

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Complete reports whether dir holds a finished artifact.
func Complete(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, ".complete"))
	return err == nil
}

// MarkComplete marks dir's artifact finished: written last, so an
// interrupted build is never taken for a finished one.
func MarkComplete(dir string) error {
	return os.WriteFile(filepath.Join(dir, ".complete"), nil, 0o644)
}

// CopyTree copies a file or a directory tree (regular files, dirs, symlinks),
// making the copy writable: module-cache sources are read-only.
func CopyTree(src, dst string) error {
	return filepath.Walk(src, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		switch {
		case info.IsDir():
			return os.MkdirAll(target, 0o755)
		case info.Mode()&os.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		default:
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return os.WriteFile(target, data, info.Mode().Perm()|0o200)
		}
	})
}

// Module is one entry of `go mod download -json`.
type Module struct {
	Path, Version, Dir, Error string
}

// DecodeModules parses `go mod download -json` output. A module the proxy
// refused keeps its Error: the caller decides what may be missing.
func DecodeModules(out string) ([]Module, error) {
	dec := json.NewDecoder(strings.NewReader(out))
	var mods []Module
	for dec.More() {
		var m Module
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("parse go mod download output: %w", err)
		}
		mods = append(mods, m)
	}
	return mods, nil
}

// DefaultDebianMirror is where Debian packages come from when neither
// NETCONFORM_DEBIAN_MIRROR nor the host's apt sources name a mirror.
const DefaultDebianMirror = "http://deb.debian.org/debian"

// DebianMirror is NETCONFORM_DEBIAN_MIRROR, else the first Debian URI of the
// host's apt sources, else DefaultDebianMirror.
func DebianMirror() string {
	if m := os.Getenv("NETCONFORM_DEBIAN_MIRROR"); m != "" {
		return m
	}
	files, _ := filepath.Glob("/etc/apt/sources.list.d/*")
	for _, f := range append([]string{"/etc/apt/sources.list"}, files...) {
		if m := mirrorIn(f); m != "" {
			return m
		}
	}
	return DefaultDebianMirror
}

// mirrorIn finds a main-archive Debian URI in a one-line or deb822 sources file.
func mirrorIn(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		for _, field := range strings.Fields(s.Text()) {
			if strings.HasPrefix(field, "#") {
				break
			}
			if strings.HasPrefix(field, "http") && strings.HasSuffix(strings.TrimSuffix(field, "/"), "/debian") {
				return strings.TrimSuffix(field, "/")
			}
		}
	}
	return ""
}
