// Package testimage builds the suite's one multi-role image (source in
// fixtures/testimage) FROM scratch, tagged by a hash of its sources.
package testimage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/netconform/netconform/pkg/filelock"
	"github.com/netconform/netconform/pkg/nodeimage"
)

// Repo is the image repository; the tag is the content hash.
const Repo = "netconform.local/probe"

// sourceGlobs are the inputs of the image, relative to the module root.
var sourceGlobs = []string{"fixtures/testimage/*", "pkg/probe/*.go", "go.mod", "go.sum"}

// Ref computes the image reference from the sources under root.
func Ref(root string) (string, error) {
	var files []string
	for _, g := range sourceGlobs {
		m, err := filepath.Glob(filepath.Join(root, g))
		if err != nil {
			return "", err
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		return "", fmt.Errorf("no test image sources under %s (expected fixtures/testimage)", root)
	}
	sort.Strings(files)
	h := sha256.New()
	fmt.Fprintln(h, goVersion())
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		rel, _ := filepath.Rel(root, f)
		fmt.Fprintf(h, "%s %d\n", rel, len(data))
		h.Write(data)
	}
	return Repo + ":" + hex.EncodeToString(h.Sum(nil))[:12], nil
}

// Build returns the image, building it when Docker does not have it yet.
func Build(ctx context.Context, root string, log io.Writer) (string, error) {
	ref, err := Ref(root)
	if err != nil {
		return "", err
	}
	cache := nodeimage.DefaultCacheDir()
	if err := os.MkdirAll(cache, 0o700); err != nil {
		return "", err
	}
	unlock, err := filelock.Lock(filepath.Join(cache, "test-image.lock")) // the cache is the user's own; the temp dir is everyone's
	if err != nil {
		return "", err
	}
	defer unlock()
	if exec.CommandContext(ctx, "docker", "image", "inspect", ref).Run() == nil {
		fmt.Fprintf(log, "[test-image] %s: cached\n", ref)
		return ref, nil
	}
	dir, err := os.MkdirTemp("", "netconform-probe-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	steps := []*exec.Cmd{
		exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", filepath.Join(dir, "probe"), "./fixtures/testimage"),
		exec.CommandContext(ctx, "cp", filepath.Join(root, "fixtures", "testimage", "Dockerfile"), dir),
		exec.CommandContext(ctx, "docker", "build", "-q", "-t", ref, dir),
	}
	steps[0].Env = append(os.Environ(), "CGO_ENABLED=0")
	steps[2].Env = append(os.Environ(), "DOCKER_BUILDKIT=0")
	for _, c := range steps {
		c.Dir = root
		if out, err := c.CombinedOutput(); err != nil {
			return "", fmt.Errorf("build test image: %s: %w\n%s", strings.Join(c.Args, " "), err, out)
		}
	}
	fmt.Fprintf(log, "[test-image] %s: built\n", ref)
	return ref, nil
}

func goVersion() string {
	out, _ := exec.Command("go", "env", "GOVERSION").Output()
	return strings.TrimSpace(string(out))
}
