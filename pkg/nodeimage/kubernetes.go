package nodeimage

import (
	"context"
	"fmt"
	"github.com/netconform/netconform/pkg/buildstep"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// kubernetesCommands are built from the k8s.io/kubernetes module in one go
// build, so the packages they share compile once.
var kubernetesCommands = []string{
	"kubelet", "kubeadm", "kubectl",
	"kube-apiserver", "kube-controller-manager", "kube-scheduler", "kube-proxy",
}

var versionPattern = regexp.MustCompile(`^v?(1)\.(\d+)\.(\d+)$`)

// normalizeVersion turns "1.36.3" or "v1.36.3" into "v1.36.3".
func normalizeVersion(v string) (string, error) {
	m := versionPattern.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil {
		return "", fmt.Errorf("Kubernetes version %q is not of the form 1.MINOR.PATCH (e.g. %s)", v, DefaultK8sVersion)
	}
	return "v" + m[1] + "." + m[2] + "." + m[3], nil
}

func minorOf(v string) int {
	m := versionPattern.FindStringSubmatch(v)
	n, _ := strconv.Atoi(m[2])
	return n
}

// buildableVersions filters the proxy's k8s.io/kubernetes list to the
// releases this builder supports.
func buildableVersions(served []string) []string {
	var out []string
	for _, v := range served {
		if versionPattern.MatchString(v) && minorOf(v) >= minimumK8sMinor {
			out = append(out, v)
		}
	}
	return out
}

// checkServed fails with the list of buildable versions when the module
// proxy does not serve the requested one.
func (b *builder) checkServed(ctx context.Context, version string) error {
	out, err := b.goCmd(ctx, "", "list", "-m", "-versions", "k8s.io/kubernetes").Output(ctx)
	if err != nil {
		return fmt.Errorf("ask the Go module proxy which Kubernetes versions it serves: %w", err)
	}
	served := strings.Fields(out)
	if len(served) > 0 {
		served = served[1:] // the module path
	}
	ok := buildableVersions(served)
	for _, v := range ok {
		if v == version {
			return nil
		}
	}
	return fmt.Errorf("cannot build Kubernetes %s: the Go module proxy (%s) does not serve k8s.io/kubernetes@%s (or it is older than 1.%d); buildable versions: %s",
		version, buildstep.GoEnv("GOPROXY"), version, minimumK8sMinor, strings.Join(ok, " "))
}

// downloadModules fetches modules through the proxy and returns their
// read-only directories in the module cache.
func (b *builder) downloadModules(ctx context.Context, mods ...string) ([]buildstep.Module, error) {
	out, err := b.goCmd(ctx, "", append([]string{"mod", "download", "-json"}, mods...)...).Output(ctx)
	infos, derr := buildstep.DecodeModules(out)
	if derr != nil {
		return nil, derr
	}
	for _, m := range infos {
		if m.Error != "" {
			return nil, fmt.Errorf("download %s@%s: %s", m.Path, m.Version, m.Error)
		}
	}
	if err != nil {
		return nil, err
	}
	return infos, nil
}

// kubernetesSource makes a buildable tree: the proxy's zip has neither the
// staging/ symlinks nor a usable vendor/, so staging is filled from the
// k8s.io/* modules of the matching v0.X.Y release.
func (b *builder) kubernetesSource(ctx context.Context, version string) (string, error) {
	dir := filepath.Join(b.cacheDir, "src", "kubernetes-"+version)
	if _, err := os.Stat(filepath.Join(dir, ".complete")); err == nil {
		return dir, nil
	}
	mods, err := b.downloadModules(ctx, "k8s.io/kubernetes@"+version)
	if err != nil {
		return "", err
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	if err := buildstep.CopyTree(mods[0].Dir, dir); err != nil {
		return "", err
	}
	for _, p := range []string{"vendor", "go.work", "go.work.sum"} {
		os.RemoveAll(filepath.Join(dir, p))
	}
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return "", err
	}
	staging := stagingModules(string(gomod))
	var wanted []string
	for _, name := range staging {
		if strings.HasPrefix(name, "sample-") { // examples the proxy does not serve
			if err := b.goCmd(ctx, dir, "mod", "edit", "-dropreplace=k8s.io/"+name, "-droprequire=k8s.io/"+name).Run(ctx); err != nil {
				return "", err
			}
			continue
		}
		wanted = append(wanted, "k8s.io/"+name+"@v0"+strings.TrimPrefix(version, "v1"))
	}
	stagingMods, err := b.downloadModules(ctx, wanted...)
	if err != nil {
		return "", err
	}
	for _, m := range stagingMods {
		if err := buildstep.CopyTree(m.Dir, filepath.Join(dir, "staging", "src", m.Path)); err != nil {
			return "", err
		}
	}
	return dir, os.WriteFile(filepath.Join(dir, ".complete"), nil, 0o644)
}

var stagingReplace = regexp.MustCompile(`(?m)^\s*k8s\.io/([a-z0-9-]+) => \./staging/src/k8s\.io/`)

// stagingModules lists the k8s.io modules that go.mod replaces with staging/.
func stagingModules(gomod string) []string {
	var names []string
	for _, m := range stagingReplace.FindAllStringSubmatch(gomod, -1) {
		names = append(names, m[1])
	}
	return names
}

// kubernetesBinaries builds (or reuses) the Kubernetes commands for version.
func (b *builder) kubernetesBinaries(ctx context.Context, version string) (string, error) {
	key := cacheKey([]string{"kubernetes.go"}, version, b.goVersion)
	out := filepath.Join(b.cacheDir, "bin", "kubernetes-"+version+"-"+key)
	if buildstep.Complete(out) {
		b.progress.printf("kubernetes %s binaries: cached (%s)", version, out)
		return out, nil
	}
	err := b.progress.phase("kubernetes "+version+" binaries (go build of 7 commands)", func() error {
		src, err := b.kubernetesSource(ctx, version)
		if err != nil {
			return err
		}
		minor := strings.Split(version, ".")[1]
		ldflags := fmt.Sprintf("-s -w -X k8s.io/component-base/version.gitVersion=%s -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=%s -X k8s.io/component-base/version.gitTreeState=clean", version, minor)
		args := []string{"build", "-trimpath", "-ldflags", ldflags, "-o", out + "/"}
		for _, c := range kubernetesCommands {
			args = append(args, "./cmd/"+c)
		}
		cmd := b.goCmd(ctx, src, args...)
		cmd.Env = append(cmd.Env, "CGO_ENABLED=0", "GOFLAGS=-mod=mod")
		if err := cmd.Run(ctx); err != nil {
			return err
		}
		return buildstep.MarkComplete(out)
	})
	return out, err
}
