// Package upstream runs upstream Kubernetes' own network conformance specs
// (e2e.test's [sig-network] ... [Conformance], plus sig-node's service
// environment variables spec) on the suite's kind cluster, hermetically:
// e2e.test, agnhost, kubectl and the ginkgo CLI are built from the
// k8s.io/kubernetes module of the cluster's version (Go module proxy), and
// the four e2e images those specs use are stand-ins built from Debian
// packages under their exact upstream names, loaded into the nodes, never
// pulled. Everything is cached by a hash of its inputs under the suite's
// cache directory, so a warm run builds nothing.
package upstream

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"github.com/netconform/netconform/pkg/buildstep"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/netconform/netconform/pkg/filelock"
)

// DefaultK8sVersion is the Makefile's K8S_VERSION default.
const DefaultK8sVersion = "1.36.3"

// DefaultFocus selects the 48 [sig-network] [Conformance] specs and
// sig-node's "Pods should contain environment variables for services".
const DefaultFocus = `\[sig-network\].*\[Conformance\]|\[sig-node\] Pods should contain environment variables for services`

// Options select what to build and run.
type Options struct {
	KubernetesVersion string    // "1.36.3" or "v1.36.3"
	CacheDir          string    // sources, binaries, build log
	Progress          io.Writer // one line per step
	NoBuild           bool      // use what an earlier run built; fail if anything is missing
}

// Build is what a run uses: the binaries and the stand-in images.
type Build struct {
	Version                           string // v1.36.3
	Tree                              string // the buildable k8s.io/kubernetes tree
	E2ETest, Ginkgo, Kubectl, Agnhost string // paths
	Images                            []StandIn
	Phases                            []Phase
}

// Phase is one timed step, for the closing table.
type Phase struct {
	Name   string
	Took   time.Duration
	Cached bool
}

type builder struct {
	cacheDir  string
	goVersion string
	noBuild   bool
	progress  *progress
	log       io.Writer
	phases    []Phase
}

func newBuilder(o Options, log io.Writer) *builder {
	return &builder{
		cacheDir: o.CacheDir, goVersion: buildstep.GoEnv("GOVERSION"), noBuild: o.NoBuild, log: log,
		progress: &progress{out: o.Progress, aliveEvery: 30 * time.Second},
	}
}

// Prepare returns the binaries and images for o.KubernetesVersion, building
// what is missing (with o.NoBuild, failing instead).
func Prepare(ctx context.Context, o Options) (*Build, error) {
	version, err := normalizeVersion(o.KubernetesVersion)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.CacheDir, 0o755); err != nil {
		return nil, err
	}
	// Two runs at once would build the same artifacts; the second waits.
	unlock, err := filelock.Lock(filepath.Join(o.CacheDir, "upstream.lock"))
	if err != nil {
		return nil, err
	}
	defer unlock()
	logPath := filepath.Join(o.CacheDir, "upstream-build-"+version+".log")
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	b := newBuilder(o, logf)
	fmt.Fprintf(logf, "\n=== %s upstream build %s\n", time.Now().Format(time.RFC3339), version)

	out := &Build{Version: version}
	if out.Tree, err = b.sourceTree(ctx, version); err != nil {
		return nil, b.withLog(err, logPath)
	}
	images, err := e2eImages(filepath.Join(out.Tree, "test", "utils", "image", "manifest.go"))
	if err != nil {
		return nil, err
	}
	bins, err := b.binaries(ctx, out.Tree, version, tagOf(images["agnhost"]))
	if err != nil {
		return nil, b.withLog(err, logPath)
	}
	out.E2ETest, out.Ginkgo, out.Kubectl, out.Agnhost = bins["e2e.test"], bins["ginkgo"], bins["kubectl"], bins["agnhost"]
	if out.Images, err = b.standIns(ctx, images, out.Agnhost, filepath.Join(out.Tree, "test", "images", "agnhost")); err != nil {
		return nil, b.withLog(err, logPath)
	}
	out.Phases = b.phases
	return out, nil
}

func (b *builder) withLog(err error, path string) error {
	if b.noBuild {
		return err
	}
	return fmt.Errorf("%w\n(full build log: %s)", err, path)
}

// phase runs and records a step that builds something.
func (b *builder) phase(name string, status func() string, fn func() error) (time.Duration, error) {
	took, err := b.progress.phase(name, status, fn)
	b.phases = append(b.phases, Phase{Name: name, Took: took})
	return took, err
}

// cached records a step that found its artifact.
func (b *builder) cached(name, where string) {
	b.progress.printf("%s: cached (%s)", name, where)
	b.phases = append(b.phases, Phase{Name: name, Cached: true})
}

// missing is the error of a NoBuild run that finds an artifact absent.
func (b *builder) missing(what string) error {
	return fmt.Errorf("%s is not built yet: run `make upstream` once first", what)
}

// The recipe files are inputs of the artifacts they describe: editing how
// the tree or an image is made changes its key, so a stale artifact is never
// reused. (A binary's key is its exact go command instead: editing a
// message must not cost a 10-minute e2e.test build.)
//
//go:embed source.go images.go
var recipes embed.FS

// cacheKey hashes the named recipe files and the inputs into a short tag.
func cacheKey(recipeFiles []string, inputs ...string) string {
	h := sha256.New()
	for _, f := range recipeFiles {
		data, err := recipes.ReadFile(f)
		if err != nil {
			panic(fmt.Sprintf("recipe %s not embedded: %v", f, err)) // programming error
		}
		fmt.Fprintf(h, "recipe %s %d\n", f, len(data))
		h.Write(data)
	}
	for _, in := range inputs {
		fmt.Fprintf(h, "input %d %s\n", len(in), in)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// goCmd runs go outside any module (downloads), or in the tree: there in
// workspace mode, as upstream builds, whatever GOWORK/GOFLAGS the caller has.
func (b *builder) goCmd(ctx context.Context, tree string, args ...string) buildstep.Command {
	c := buildstep.Command{Name: "go", Args: args, Dir: tree, Log: b.log}
	if tree == "" {
		c.Dir = buildstep.OutsideModules(b.cacheDir) // no go.mod nearby to interfere
		c.Env = []string{"GOWORK=off"}
		return c
	}
	c.Env = treeEnv(tree)
	return c
}

// treeEnv is the environment of builds in the tree (part of their keys).
func treeEnv(tree string) []string {
	return []string{"GOWORK=" + filepath.Join(tree, "go.work"), "GOFLAGS=-buildvcs=false", "CGO_ENABLED=0"}
}
