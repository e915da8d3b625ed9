package upstream

import (
	"context"
	"fmt"
	"github.com/netconform/netconform/pkg/buildstep"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// goBinary is one binary built in the Kubernetes tree.
type goBinary struct {
	name string
	args []string // go arguments; "OUT" stands for the output file
	note string   // what to expect, printed before a cold build
}

// binariesOf lists what a run needs, e2e.test first: it compiles almost
// everything the others import, so they mostly reuse its build cache.
func binariesOf(version, agnhostTag string) []goBinary {
	minor := strings.Split(version, ".")[1]
	// The version the binaries report, as upstream's release build sets it.
	k8sLD := fmt.Sprintf("-s -w -X k8s.io/component-base/version.gitVersion=%s -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=%s -X k8s.io/component-base/version.gitTreeState=clean", version, minor)
	return []goBinary{
		{name: "e2e.test", args: []string{"test", "-c", "-trimpath", "-ldflags", k8sLD, "-o", "OUT", "./test/e2e"},
			note: fmt.Sprintf("a cold Go build cache takes about %d min on this machine's %d cores", coldE2EMinutes(), runtime.NumCPU())},
		// The specs run `kubectl exec`: a kubectl of the cluster's version,
		// not whatever the host has on its PATH.
		{name: "kubectl", args: []string{"build", "-trimpath", "-ldflags", k8sLD, "-o", "OUT", "./cmd/kubectl"}},
		// agnhost reports the tag of the image it stands in for.
		{name: "agnhost", args: []string{"build", "-trimpath", "-ldflags", "-s -w -X main.Version=" + agnhostTag, "-o", "OUT", "./test/images/agnhost"}},
		// The CLI at the version the tree's go.mod pins, so it speaks the
		// same protocol as the ginkgo library inside e2e.test.
		{name: "ginkgo", args: []string{"build", "-trimpath", "-ldflags", "-s -w", "-o", "OUT", "github.com/onsi/ginkgo/v2/ginkgo"}},
	}
}

// coldE2EMinutes: about 10 min measured on 2 cores with a warm module cache;
// the compile scales roughly with the cores.
func coldE2EMinutes() int {
	m := 20 / runtime.NumCPU()
	if m < 2 {
		m = 2
	}
	return m
}

// binaries builds (or finds) each binary; returns name -> path.
func (b *builder) binaries(ctx context.Context, tree, version, agnhostTag string) (map[string]string, error) {
	paths := map[string]string{}
	for _, bin := range binariesOf(version, agnhostTag) {
		// What makes the binary, exactly: the tree (its directory name is
		// its key), the toolchain, the environment and the arguments.
		key := cacheKey(nil, filepath.Base(tree), b.goVersion, strings.Join(treeEnv(tree), " "), bin.name, strings.Join(bin.args, " "))
		dir := filepath.Join(b.cacheDir, "bin", "upstream-"+version+"-"+bin.name+"-"+key)
		out := filepath.Join(dir, bin.name)
		paths[bin.name] = out
		step := bin.name + " " + version
		if buildstep.Complete(dir) {
			b.cached(step, out)
			continue
		}
		if b.noBuild {
			return nil, b.missing(step)
		}
		if bin.note != "" {
			b.progress.printf("%s: building (%s)", step, bin.note)
		}
		args := make([]string, len(bin.args))
		for i, a := range bin.args {
			if a == "OUT" {
				a = out
			}
			args[i] = a
		}
		how := "go build "
		if args[0] == "test" {
			how = "go test -c "
		}
		_, err := b.phase(step+" ("+how+args[len(args)-1]+")", nil, func() error {
			if err := os.RemoveAll(dir); err != nil {
				return err
			}
			if err := b.goCmd(ctx, tree, args...).Run(ctx); err != nil {
				return err
			}
			return buildstep.MarkComplete(dir)
		})
		if err != nil {
			return nil, err
		}
	}
	return paths, nil
}
