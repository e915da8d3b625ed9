package upstream

import (
	"context"
	"fmt"
	"github.com/netconform/netconform/pkg/buildstep"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// stagingVersion is the k8s.io/<staging> release paired with a Kubernetes
// release: v1.36.3 -> v0.36.3.
func stagingVersion(version string) string { return "v0" + strings.TrimPrefix(version, "v1") }

// sourceTree makes a buildable k8s.io/kubernetes tree for version, as
// pkg/nodeimage does for the node's binaries, but in workspace mode, which is
// how upstream builds e2e.test: the module zip has neither staging/ nor a
// usable vendor/, so every staging module of go.work is filled from its
// k8s.io/<name>@v0.X.Y release (e2e.test needs sample-apiserver and
// sample-controller too); the ones the proxy refuses (sample-cli-plugin,
// an example nothing here imports) are dropped from go.work.
func (b *builder) sourceTree(ctx context.Context, version string) (string, error) {
	key := cacheKey([]string{"source.go"}, version)
	dir := filepath.Join(b.cacheDir, "src", "kubernetes-e2e-"+version+"-"+key)
	if buildstep.Complete(dir) {
		b.cached("kubernetes "+version+" source tree", dir)
		return dir, nil
	}
	if b.noBuild {
		return "", b.missing("the kubernetes " + version + " source tree")
	}
	_, err := b.phase("kubernetes "+version+" source tree (module proxy)", nil, func() error {
		if err := b.checkServed(ctx, version); err != nil {
			return err
		}
		mods, err := b.downloadModules(ctx, "k8s.io/kubernetes@"+version)
		if err != nil {
			return err
		}
		if mods[0].Error != "" {
			return fmt.Errorf("download k8s.io/kubernetes@%s: %s", version, mods[0].Error)
		}
		tmp := dir + ".partial"
		if err := os.RemoveAll(tmp); err != nil {
			return err
		}
		if err := buildstep.CopyTree(mods[0].Dir, tmp); err != nil {
			return err
		}
		if err := os.RemoveAll(filepath.Join(tmp, "vendor")); err != nil {
			return err
		}
		if err := b.fillStaging(ctx, tmp, version); err != nil {
			return err
		}
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
		if err := buildstep.MarkComplete(tmp); err != nil {
			return err
		}
		return os.Rename(tmp, dir)
	})
	return dir, err
}

// fillStaging copies each module go.work uses from staging/ out of the
// module cache and drops from go.work the sample modules the proxy refuses.
func (b *builder) fillStaging(ctx context.Context, tree, version string) error {
	work, err := os.ReadFile(filepath.Join(tree, "go.work"))
	if err != nil {
		return fmt.Errorf("k8s.io/kubernetes@%s has no go.work (this builder needs 1.%d or later): %w", version, minimumMinor, err)
	}
	names := stagingUses(string(work))
	if len(names) == 0 {
		return fmt.Errorf("go.work of k8s.io/kubernetes@%s lists no staging modules", version)
	}
	var wanted []string
	for _, n := range names {
		wanted = append(wanted, "k8s.io/"+n+"@"+stagingVersion(version))
	}
	infos, err := b.downloadModules(ctx, wanted...)
	if err != nil {
		return err
	}
	for _, m := range infos {
		name := strings.TrimPrefix(m.Path, "k8s.io/")
		if m.Error != "" {
			if !strings.HasPrefix(name, "sample-") {
				return fmt.Errorf("download %s@%s: %s", m.Path, stagingVersion(version), m.Error)
			}
			b.progress.printf("%s: not served by the module proxy; dropped from go.work", m.Path)
			if err := b.goCmd(ctx, tree, "work", "edit", "-dropuse=./staging/src/k8s.io/"+name).Run(ctx); err != nil {
				return err
			}
			continue
		}
		if err := buildstep.CopyTree(m.Dir, filepath.Join(tree, "staging", "src", m.Path)); err != nil {
			return err
		}
	}
	return nil
}

var stagingUse = regexp.MustCompile(`(?m)^\s*\./staging/src/k8s\.io/([a-z0-9-]+)\s*$`)

// stagingUses lists the staging modules of a go.work's use block.
func stagingUses(gowork string) []string {
	var names []string
	for _, m := range stagingUse.FindAllStringSubmatch(gowork, -1) {
		names = append(names, m[1])
	}
	return names
}
