package nodeimage

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// baseImage reproduces kind's images/base from its own files (shipped in the
// sigs.k8s.io/kind module) on the Debian rootfs, with containerd, runc and
// the CNI plugins built here.
func (b *builder) baseImage(ctx context.Context, rootfs string, bins map[string]string) (string, error) {
	key := cacheKey([]string{"assemble.go", "versions.go"}, rootfs, KindVersion,
		bins["containerd"], bins["runc"], bins["cni-plugins"], bins["flannel"])
	ref := "netconform.local/kind-base:" + key
	if b.imageExists(ctx, ref) {
		b.progress.printf("kind base image: cached (%s)", ref)
		return ref, nil
	}
	err := b.progress.phase("kind base image", func() error {
		mods, err := b.downloadModules(ctx, "sigs.k8s.io/kind@"+KindVersion)
		if err != nil {
			return err
		}
		files := filepath.Join(mods[0].Dir, "images", "base", "files")
		df := `FROM ` + rootfs + `
COPY files/ /
COPY containerd/containerd containerd/ctr containerd/containerd-shim-runc-v2 /usr/local/bin/
COPY runc/runc /usr/local/sbin/runc
COPY cni/ /opt/cni/bin/
RUN chmod 0755 /kind /kind/bin /kind/bin/* /usr/local/bin/* /usr/local/sbin/runc /opt/cni/bin/* \
    && find /lib/systemd/system/sysinit.target.wants/ -name "systemd-tmpfiles-setup.service" -delete \
    && rm -f /lib/systemd/system/multi-user.target.wants/* \
    && rm -f /etc/systemd/system/*.wants/* \
    && rm -f /lib/systemd/system/local-fs.target.wants/* \
    && rm -f /lib/systemd/system/sockets.target.wants/*udev* \
    && rm -f /lib/systemd/system/sockets.target.wants/*initctl* \
    && rm -f /lib/systemd/system/basic.target.wants/* \
    && echo "ReadKMsg=no" >> /etc/systemd/journald.conf \
    && ln -sf /usr/lib/systemd/systemd /sbin/init \
    && systemctl enable kubelet.service \
    && systemctl enable containerd.service \
    && systemctl enable undo-mount-hacks.service \
    && systemctl mask systemd-binfmt.service \
    && mkdir -p /etc/kubernetes/manifests \
    && ctr oci spec \
        | jq '.hooks.createContainer[.hooks.createContainer| length] |= . + {"path": "/kind/bin/mount-product-files.sh"}' \
        | jq 'del(.process.rlimits)' > /etc/containerd/cri-base.json \
    && containerd --version && runc --version
ENV container=docker
STOPSIGNAL SIGRTMIN+3
ENTRYPOINT [ "/usr/local/bin/entrypoint", "/sbin/init" ]
`
		cni := filepath.Join(b.cacheDir, "tmp-cni-"+key)
		os.RemoveAll(cni)
		defer os.RemoveAll(cni)
		for _, p := range []string{"host-local", "loopback", "ptp", "portmap", "bridge"} {
			if err := copyTree(filepath.Join(bins["cni-plugins"], p), filepath.Join(cni, p)); err != nil {
				return err
			}
		}
		if err := copyTree(filepath.Join(bins["flannel"], "flannel"), filepath.Join(cni, "flannel")); err != nil {
			return err
		}
		return b.dockerBuild(ctx, ref, buildContext{dockerfile: df, files: map[string]string{
			"files": files, "containerd": bins["containerd"], "runc": bins["runc"], "cni": cni,
		}})
	})
	return ref, err
}

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
	return out, command{name: "gcc", log: b.log, args: []string{"-Os", "-static", "-o", out,
		"-DVERSION=" + version, filepath.Join(src, "build", "pause", "linux", "pause.c")}}.run(ctx)
}

// assembleNode does what kind's own node builder does, minus its pulls: run
// the base image, add kubeadm/kubelet/kubectl and the manifests, import
// every image into the node's containerd, and commit.
func (b *builder) assembleNode(ctx context.Context, ref, base, version, kbin string, images []imageSpec, cni string) error {
	name := "netconform-build-" + strings.NewReplacer(":", "-", "/", "-", ".", "-").Replace(ref)
	docker := func(args ...string) command { return command{name: "docker", log: b.log, args: args} }
	docker("rm", "-f", name).run(ctx) // a leftover from an interrupted build
	if err := docker("run", "-d", "--name", name, "--privileged", "--entrypoint=sleep", base, "infinity").run(ctx); err != nil {
		return err
	}
	defer docker("rm", "-f", name).run(context.Background())
	for _, bin := range []string{"kubeadm", "kubelet", "kubectl"} {
		if err := docker("cp", filepath.Join(kbin, bin), name+":/usr/bin/"+bin).run(ctx); err != nil {
			return err
		}
	}
	write := func(path, content string) error {
		return command{name: "docker", log: b.log, stdin: strings.NewReader(content),
			args: []string{"exec", "-i", name, "sh", "-c", "mkdir -p $(dirname " + path + ") && cat > " + path}}.run(ctx)
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
	if err := docker("exec", "-d", name, "containerd").run(ctx); err != nil {
		return err
	}
	if err := waitFor(ctx, 30*time.Second, func() error { return docker("exec", name, "ctr", "version").run(ctx) }); err != nil {
		return fmt.Errorf("containerd in the build container did not start: %w", err)
	}
	for _, img := range images {
		if err := b.dockerBuild(ctx, img.refs[0], img.bc); err != nil {
			return fmt.Errorf("build %s: %w", img.refs[0], err)
		}
		for _, extra := range img.refs[1:] {
			if err := docker("tag", img.refs[0], extra).run(ctx); err != nil {
				return err
			}
		}
		save := fmt.Sprintf("docker save %s | docker exec -i %s ctr --namespace=k8s.io images import --label=io.cri-containerd.pinned=pinned --all-platforms --no-unpack --digests -",
			strings.Join(img.refs, " "), name)
		if err := (command{name: "sh", log: b.log, args: []string{"-c", "set -o pipefail; " + save}}).run(ctx); err != nil {
			return fmt.Errorf("import %s into the node: %w", img.refs[0], err)
		}
	}
	listed, err := docker("exec", name, "ctr", "--namespace=k8s.io", "images", "list", "-q").output(ctx)
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
	docker("exec", name, "pkill", "containerd").run(ctx)
	if err := waitFor(ctx, 30*time.Second, func() error {
		if docker("exec", name, "pgrep", "-x", "containerd").run(ctx) == nil {
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
		name, ref).run(ctx)
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
