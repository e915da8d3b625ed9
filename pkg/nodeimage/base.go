package nodeimage

import (
	"context"
	"github.com/netconform/netconform/pkg/buildstep"
	"os"
	"path/filepath"
)

// baseImage reproduces kind's images/base from its own files (shipped in the
// sigs.k8s.io/kind module) on the Debian rootfs, with containerd, runc,
// crun and the CNI plugins built here. containerd runs containers with
// crun (crun.go says why), under the cgroupfs driver that the kubelet of
// the suite's kind config uses too. kind's createContainer hook
// (mount-product-files.sh, a private product_uuid per container) is left
// out: under crun it fails every container with a read-only root
// (CoreDNS), and no claim reads product_uuid.
func (b *builder) baseImage(ctx context.Context, rootfs string, bins map[string]string) (string, error) {
	key := cacheKey([]string{"base.go", "versions.go"}, rootfs, KindVersion,
		bins["containerd"], bins["runc"], bins["crun"], bins["cni-plugins"], bins["flannel"])
	ref := "netconform.local/kind-base:" + key
	if imageExists(ctx, ref) {
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
COPY crun/crun /usr/local/sbin/crun
COPY cni/ /opt/cni/bin/
COPY crictl /usr/local/bin/crictl
RUN chmod 0755 /kind /kind/bin /kind/bin/* /usr/local/bin/* /usr/local/sbin/runc /usr/local/sbin/crun /opt/cni/bin/* \
    && find /lib/systemd/system/sysinit.target.wants/ -name "systemd-tmpfiles-setup.service" -delete \
    && rm -f /lib/systemd/system/multi-user.target.wants/* \
    && rm -f /etc/systemd/system/*.wants/* \
    && rm -f /lib/systemd/system/local-fs.target.wants/* \
    && rm -f /lib/systemd/system/sockets.target.wants/*udev* \
    && rm -f /lib/systemd/system/sockets.target.wants/*initctl* \
    && rm -f /lib/systemd/system/basic.target.wants/* \
    && echo "ReadKMsg=no" >> /etc/systemd/journald.conf \
    && sed -i "s|timeout 5 getent ahostsv4 'host.docker.internal'|true|" /usr/local/bin/entrypoint \
    && ! grep -q "host.docker.internal" /usr/local/bin/entrypoint \
    && ln -sf /usr/lib/systemd/systemd /sbin/init \
    && systemctl enable kubelet.service \
    && systemctl enable containerd.service \
    && systemctl enable undo-mount-hacks.service \
    && systemctl mask systemd-binfmt.service \
    && mkdir -p /etc/kubernetes/manifests \
    && ctr oci spec | jq 'del(.process.rlimits)' > /etc/containerd/cri-base.json \
    && sed -i -e 's|SystemdCgroup = true|SystemdCgroup = false|' \
        -e '/containerd.runtimes.runc.options\]/a\            BinaryName = "/usr/local/sbin/crun"' /etc/containerd/config.toml \
    && grep -q 'BinaryName = "/usr/local/sbin/crun"' /etc/containerd/config.toml \
    && ! grep -q 'SystemdCgroup = true' /etc/containerd/config.toml \
    && containerd --version && runc --version && crun --version
ENV container=docker
STOPSIGNAL SIGRTMIN+3
ENTRYPOINT [ "/usr/local/bin/entrypoint", "/sbin/init" ]
`
		cni := filepath.Join(b.cacheDir, "tmp-cni-"+key)
		os.RemoveAll(cni)
		defer os.RemoveAll(cni)
		for _, p := range []string{"host-local", "loopback", "ptp", "portmap", "bridge"} {
			if err := buildstep.CopyTree(filepath.Join(bins["cni-plugins"], p), filepath.Join(cni, p)); err != nil {
				return err
			}
		}
		if err := buildstep.CopyTree(filepath.Join(bins["flannel"], "flannel"), filepath.Join(cni, "flannel")); err != nil {
			return err
		}
		return b.dockerBuild(ctx, ref, buildContext{dockerfile: df, files: map[string]string{
			"files": files, "containerd": bins["containerd"], "runc": bins["runc"], "crun": bins["crun"], "cni": cni,
		}, literal: map[string]string{"crictl": crictlShim}})
	})
	return ref, err
}

// crictlShim stands in for crictl, which the module proxy does not serve:
// kind's log export runs `crictl images`, and nothing else needs it.
const crictlShim = `#!/bin/sh
case "$1" in
images) exec ctr --namespace k8s.io images ls ;;
esac
echo "crictl is not in this node image (netconform); use: ctr --namespace k8s.io ..." >&2
exit 1
`
