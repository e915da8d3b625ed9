package nodeimage

import (
	"context"
	"fmt"
	"github.com/netconform/netconform/pkg/buildstep"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// pauseBinary compiles the pause container's C source from the Kubernetes tree.
func (b *builder) pauseBinary(ctx context.Context, version string) (string, error) {
	out := filepath.Join(b.cacheDir, "bin", "pause-"+cacheKey([]string{"assemble.go"}, version), "pause")
	if _, err := os.Stat(out); err == nil {
		return out, nil
	}
	src, err := b.kubernetesSource(ctx, version)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return "", err
	}
	return out, buildstep.Command{Name: "gcc", Log: b.log, Args: []string{"-Os", "-static", "-o", out,
		"-DVERSION=" + version, filepath.Join(src, "build", "pause", "linux", "pause.c")}}.Run(ctx)
}

// assembleNode does what kind's own node builder does, minus its pulls: run
// the base image, add kubeadm/kubelet/kubectl and the manifests, import
// every image into the node's containerd, and commit.
func (b *builder) assembleNode(ctx context.Context, ref, base, version, kbin string, images []imageSpec, cni string) error {
	name := "netconform-build-" + strings.NewReplacer(":", "-", "/", "-", ".", "-").Replace(ref)
	docker := func(args ...string) buildstep.Command {
		return buildstep.Command{Name: "docker", Log: b.log, Args: args}
	}
	docker("rm", "-f", name).Run(ctx) // a leftover from an interrupted build
	if err := docker("run", "-d", "--name", name, "--privileged", "--entrypoint=sleep", base, "infinity").Run(ctx); err != nil {
		return err
	}
	defer docker("rm", "-f", name).Run(context.Background())
	for _, bin := range []string{"kubeadm", "kubelet", "kubectl"} {
		if err := docker("cp", filepath.Join(kbin, bin), name+":/usr/bin/"+bin).Run(ctx); err != nil {
			return err
		}
	}
	write := func(path, content string) error {
		return buildstep.Command{Name: "docker", Log: b.log, Stdin: strings.NewReader(content),
			Args: []string{"exec", "-i", name, "sh", "-c", "mkdir -p $(dirname " + path + ") && cat > " + path}}.Run(ctx)
	}
	if err := write("/kind/version", version+"\n"); err != nil {
		return err
	}
	if err := write("/kind/manifests/default-cni.yaml", cni); err != nil {
		return err
	}
	if err := write("/kind/manifests/default-storage.yaml", defaultStorage); err != nil {
		return err
	}
	if err := docker("exec", "-d", name, "containerd").Run(ctx); err != nil {
		return err
	}
	if err := waitFor(ctx, 30*time.Second, func() error { return docker("exec", name, "ctr", "version").Run(ctx) }); err != nil {
		return fmt.Errorf("containerd in the build container did not start: %w", err)
	}
	for _, img := range images {
		if err := b.dockerBuild(ctx, img.refs[0], img.bc); err != nil {
			return fmt.Errorf("build %s: %w", img.refs[0], err)
		}
		for _, extra := range img.refs[1:] {
			if err := docker("tag", img.refs[0], extra).Run(ctx); err != nil {
				return err
			}
		}
		save := fmt.Sprintf("docker save %s | docker exec -i %s ctr --namespace=k8s.io images import --label=io.cri-containerd.pinned=pinned --all-platforms --no-unpack --digests -",
			strings.Join(img.refs, " "), name)
		if err := (buildstep.Command{Name: "bash", Log: b.log, Args: []string{"-c", "set -o pipefail; " + save}}).Run(ctx); err != nil {
			return fmt.Errorf("import %s into the node: %w", img.refs[0], err)
		}
	}
	listed, err := docker("exec", name, "ctr", "--namespace=k8s.io", "images", "list", "-q").Output(ctx)
	if err != nil {
		return err
	}
	for _, img := range images {
		for _, r := range img.refs {
			if !strings.Contains(listed, r) {
				return fmt.Errorf("image %s missing from the node's containerd after import", r)
			}
		}
	}
	docker("exec", name, "pkill", "containerd").Run(ctx)
	if err := waitFor(ctx, 30*time.Second, func() error {
		if docker("exec", name, "pgrep", "-x", "containerd").Run(ctx) == nil {
			return fmt.Errorf("containerd still running")
		}
		return nil
	}); err != nil {
		return err
	}
	return docker("commit",
		"--change", `ENTRYPOINT [ "/usr/local/bin/entrypoint", "/sbin/init" ]`,
		"--change", `CMD []`,
		"--change", "LABEL io.netconform.kubernetes="+version,
		"--change", "LABEL io.netconform.components="+componentSummary(),
		name, ref).Run(ctx)
}

func componentSummary() string {
	return strings.Join([]string{"containerd-" + ContainerdVersion, "runc-" + RuncVersion,
		"cni-" + CNIPluginsVersion, "flannel-" + FlannelVersion, "etcd-" + EtcdVersion,
		"coredns-" + CoreDNSVersion, "kind-" + KindVersion}, ",")
}

// waitFor polls fn every 250 ms until it succeeds or timeout passes.
func waitFor(ctx context.Context, timeout time.Duration, fn func() error) error {
	deadline := time.Now().Add(timeout)
	for {
		err := fn()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("after %s: %w", timeout, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}
