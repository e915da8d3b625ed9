// Package nodeimage builds kind node images from source: Kubernetes from the
// k8s.io/kubernetes module, every other component from the Go module proxy,
// the OS from Debian packages. No container registry is contacted. Each
// artifact is tagged by a hash of its inputs and reused when present.
package nodeimage

import (
	"context"
	"fmt"
	"github.com/netconform/netconform/pkg/buildstep"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"github.com/netconform/netconform/pkg/filelock"
)

// Options select what to build.
type Options struct {
	KubernetesVersion string    // "1.36.3" or "v1.36.3"; DefaultK8sVersion if empty
	FlannelBackend    string    // default CNI of the image: "host-gw" (default) or "vxlan"
	CacheDir          string    // DefaultCacheDir() if empty
	Progress          io.Writer // one line per phase; os.Stderr if nil
	BuildLog          io.Writer // full command output; a file in CacheDir if nil
}

// minFreeBytes is what a cold build needs: sources, Go build cache, images.
const minFreeBytes = 12 << 30

// DefaultCacheDir is $NETCONFORM_CACHE, else ~/.cache/netconform, the home
// directory taken from the user database when HOME is unset. Never a fixed
// name in the shared temp directory, where another user could plant it.
func DefaultCacheDir() string {
	if d := os.Getenv("NETCONFORM_CACHE"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "netconform")
	}
	if u, err := user.Current(); err == nil && u.HomeDir != "" {
		return filepath.Join(u.HomeDir, ".cache", "netconform")
	}
	// No home at all: stop, rather than put images, locks and cluster
	// records somewhere shared.
	fmt.Fprintln(os.Stderr, "netconform: no cache directory: HOME is unset and the user has no home directory; set NETCONFORM_CACHE to a directory of your own")
	os.Exit(2)
	return ""
}

type builder struct {
	cacheDir  string
	goVersion string
	progress  *progress
	log       io.Writer
}

func (o *Options) normalize() error {
	if o.KubernetesVersion == "" {
		o.KubernetesVersion = DefaultK8sVersion
	}
	v, err := normalizeVersion(o.KubernetesVersion)
	if err != nil {
		return err
	}
	o.KubernetesVersion = v
	if o.FlannelBackend == "" {
		o.FlannelBackend = "host-gw"
	}
	if o.CacheDir == "" {
		o.CacheDir = DefaultCacheDir()
	}
	if o.Progress == nil {
		o.Progress = os.Stderr
	}
	return nil
}

// NodeImageRef is the tag the node image for o has; computing it builds nothing.
func NodeImageRef(o Options) (string, error) {
	if err := o.normalize(); err != nil {
		return "", err
	}
	key := cacheKey([]string{"versions.go", "kubernetes.go", "components.go", "rootfs.go", "base.go", "images.go", "assemble.go", "flannel.go", "crun.go"},
		o.KubernetesVersion, buildstep.GoEnv("GOVERSION"), buildstep.DebianMirror(), o.FlannelBackend)
	return "netconform.local/node:" + o.KubernetesVersion + "-" + key, nil
}

// Build returns the node image for o, building whatever is missing.
func Build(ctx context.Context, o Options) (string, error) {
	ref, err := NodeImageRef(o)
	if err != nil {
		return "", err
	}
	_ = o.normalize()
	p := newProgress(o.Progress, "node-image")
	if err := dockerReachable(ctx); err != nil {
		return "", err
	}
	if imageExists(ctx, ref) {
		p.printf("node image %s: cached", ref)
		return ref, nil
	}
	// Test packages start together; one builds, the others wait and reuse.
	lockPath := filepath.Join(o.CacheDir, "build.lock")
	unlock, ok, err := filelock.TryLock(lockPath)
	if err != nil {
		return "", err
	}
	if !ok {
		p.printf("another process is building images (%s); waiting for it", lockPath)
		if unlock, err = filelock.Lock(lockPath); err != nil {
			return "", err
		}
	}
	defer unlock()
	if imageExists(ctx, ref) {
		p.printf("node image %s: built by the other process", ref)
		return ref, nil
	}
	for _, dir := range []string{o.CacheDir, dockerRoot(ctx)} {
		if err := checkFreeSpace(dir, minFreeBytes); err != nil {
			return "", err
		}
	}
	b := &builder{cacheDir: o.CacheDir, goVersion: buildstep.GoEnv("GOVERSION"), progress: p, log: o.BuildLog}
	if err := b.checkServed(ctx, o.KubernetesVersion); err != nil {
		return "", err
	}
	if b.log == nil {
		f, err := os.Create(filepath.Join(o.CacheDir, "build-"+o.KubernetesVersion+".log"))
		if err != nil {
			return "", err
		}
		defer f.Close()
		b.log = f
		p.printf("building %s from source: about %s on this machine's %d cores; full log: %s", ref, ColdBuildEstimate(), runtime.NumCPU(), f.Name())
	}
	if err := p.phase("node image "+ref, func() error { return b.build(ctx, ref, o) }); err != nil {
		return "", err
	}
	pruneSuperseded(ctx, ref)
	return ref, nil
}

// pruneSuperseded removes node images of the same Kubernetes version built
// from older recipes: each is over a gigabyte and nothing refers to it.
func pruneSuperseded(ctx context.Context, ref string) {
	repo, tag, _ := strings.Cut(ref, ":")
	version := tag[:strings.LastIndex(tag, "-")+1]
	out, err := buildstep.Command{Name: "docker", Args: []string{"images", "--format", "{{.Repository}}:{{.Tag}}", repo}}.Output(ctx)
	if err != nil {
		return
	}
	for _, old := range strings.Fields(out) {
		if old != ref && strings.HasPrefix(old, repo+":"+version) {
			buildstep.Command{Name: "docker", Args: []string{"image", "rm", old}}.Run(ctx)
		}
	}
}

func (b *builder) build(ctx context.Context, ref string, o Options) error {
	version := o.KubernetesVersion
	kbin, err := b.kubernetesBinaries(ctx, version)
	if err != nil {
		return err
	}
	bins, err := b.componentBinaries(ctx)
	if err != nil {
		return err
	}
	rootfs, err := b.rootfsImage(ctx)
	if err != nil {
		return err
	}
	base, err := b.baseImage(ctx, rootfs, bins)
	if err != nil {
		return err
	}
	pause, err := b.pauseBinary(ctx, version)
	if err != nil {
		return err
	}
	wanted, err := b.kubeadmImages(ctx, kbin, version)
	if err != nil {
		return err
	}
	mods, err := b.downloadModules(ctx, "github.com/flannel-io/flannel@"+FlannelVersion)
	if err != nil {
		return err
	}
	upstream, err := os.ReadFile(filepath.Join(mods[0].Dir, "Documentation", "kube-flannel.yml"))
	if err != nil {
		return err
	}
	cni, err := flannelManifest(string(upstream), o.FlannelBackend)
	if err != nil {
		return err
	}
	images := componentImages(version, kbin, bins, rootfs, pause, wanted["pause"])
	return b.progress.phase("component images and node assembly", func() error {
		return b.assembleNode(ctx, ref, base, version, kbin, images, cni)
	})
}

func (b *builder) goCmd(ctx context.Context, dir string, args ...string) buildstep.Command {
	c := buildstep.Command{Name: "go", Args: args, Dir: dir, Log: b.log}
	if dir == "" {
		c.Dir = buildstep.OutsideModules(b.cacheDir) // no go.mod or go.work nearby to interfere
		c.Env = []string{"GOWORK=off"}
	}
	return c
}

// dockerReachable explains how to get a Docker engine when there is none.
func dockerReachable(ctx context.Context) error {
	if _, err := exec.LookPath("docker"); err != nil {
		return fmt.Errorf("the docker CLI is not installed: run `sudo ci/prepare-host.sh` (installs and starts the Docker engine)")
	}
	if out, err := exec.CommandContext(ctx, "docker", "info", "-f", "{{.ServerVersion}}").CombinedOutput(); err != nil {
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		return fmt.Errorf("the Docker engine is not reachable (%s): run `sudo ci/prepare-host.sh` to install and start it", lines[len(lines)-1])
	}
	return nil
}

func dockerRoot(ctx context.Context) string {
	out, err := buildstep.Command{Name: "docker", Args: []string{"info", "-f", "{{.DockerRootDir}}"}}.Output(ctx)
	if err != nil || strings.TrimSpace(out) == "" {
		return "/var/lib/docker"
	}
	return strings.TrimSpace(out)
}

// checkFreeSpace fails early, with numbers, rather than midway through a build.
func checkFreeSpace(dir string, need uint64) error {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return nil // cannot tell; the build will say if it runs out
	}
	free := st.Bavail * uint64(st.Bsize)
	if free < need {
		return fmt.Errorf("not enough disk space in %s: %.1f GiB free, a node image build needs about %d GiB; free some space (`make clean`, `docker system prune`) or set NETCONFORM_CACHE to a larger disk",
			dir, float64(free)/(1<<30), need>>30)
	}
	return nil
}
