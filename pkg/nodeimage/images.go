package nodeimage

import (
	"context"
	"fmt"
	"github.com/netconform/netconform/pkg/buildstep"
	"os"
	"path/filepath"
	"strings"
)

// buildContext is a Docker build context: a Dockerfile plus files, given as
// destination name -> source path (copied) or literal content.
type buildContext struct {
	dockerfile string
	files      map[string]string // name in context -> host path
	literal    map[string]string // name in context -> content
}

// dockerBuild builds ref with the legacy builder (this Docker has no
// BuildKit, so no COPY --chmod: modes are set in RUN or in the context).
func (b *builder) dockerBuild(ctx context.Context, ref string, bc buildContext) error {
	dir, err := os.MkdirTemp(b.cacheDir, "ctx-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	for name, src := range bc.files {
		if err := buildstep.CopyTree(src, filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	for name, content := range bc.literal {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(bc.dockerfile), 0o644); err != nil {
		return err
	}
	return buildstep.Command{Name: "docker", Log: b.log, Env: []string{"DOCKER_BUILDKIT=0"},
		Args: []string{"build", "-q", "-t", ref, dir}}.Run(ctx)
}

func imageExists(ctx context.Context, ref string) bool {
	return buildstep.Command{Name: "docker", Args: []string{"image", "inspect", ref}}.Run(ctx) == nil
}

// minimal /etc for static binaries: users, name service, CA certificates.
var minbaseEtc = map[string]string{
	"etc/passwd":        "root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n",
	"etc/group":         "root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n",
	"etc/nsswitch.conf": "hosts: files dns\n",
	"tmp/.keep":         "",
}

const pathEnv = "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"

// imageSpec is one image imported into the node's containerd.
type imageSpec struct {
	refs []string // first is built, the rest are extra tags
	bc   buildContext
}

// componentImages describes the control-plane, DNS, CNI and pause images.
// Static binaries sit on a minimal base; kube-proxy and flannel need
// iptables/nft/conntrack, so they build on the Debian rootfs.
func componentImages(version, kbin string, bins map[string]string, rootfs, pauseBin, kubeadmPause string) []imageSpec {
	minbase := func(binDir string, names []string, entrypoint string) buildContext {
		bc := buildContext{files: map[string]string{}, literal: map[string]string{}}
		for k, v := range minbaseEtc {
			bc.literal[k] = v
		}
		bc.files["etc/ssl/certs/ca-certificates.crt"] = "/etc/ssl/certs/ca-certificates.crt"
		df := "FROM scratch\nCOPY etc/ /etc/\nCOPY tmp/ /tmp/\n" + pathEnv
		for _, n := range names {
			bc.files["bin/"+n] = filepath.Join(binDir, n)
			df += fmt.Sprintf("COPY bin/%s /usr/local/bin/%s\n", n, n)
		}
		if entrypoint != "" {
			df += fmt.Sprintf("ENTRYPOINT [%q]\n", entrypoint)
		}
		bc.dockerfile = df
		return bc
	}
	var specs []imageSpec
	for _, c := range []string{"kube-apiserver", "kube-controller-manager", "kube-scheduler"} {
		specs = append(specs, imageSpec{refs: []string{ImageRepo + "/" + c + ":" + version},
			bc: minbase(kbin, []string{c}, "/usr/local/bin/"+c)})
	}
	specs = append(specs,
		imageSpec{refs: []string{ImageRepo + "/kube-proxy:" + version}, bc: buildContext{
			files:      map[string]string{"kube-proxy": filepath.Join(kbin, "kube-proxy")},
			dockerfile: "FROM " + rootfs + "\nCOPY kube-proxy /usr/local/bin/kube-proxy\nENTRYPOINT [\"/usr/local/bin/kube-proxy\"]\n",
		}},
		imageSpec{refs: []string{ImageRepo + "/etcd:" + EtcdImageTag},
			bc: minbase(bins["etcd"], []string{"etcd", "etcdctl"}, "/usr/local/bin/etcd")},
		imageSpec{refs: []string{ImageRepo + "/coredns/coredns:" + CoreDNSImageTag},
			bc: minbase(bins["coredns"], []string{"coredns"}, "/usr/local/bin/coredns")},
		imageSpec{refs: []string{FlannelImage}, bc: buildContext{
			files: map[string]string{"flanneld": filepath.Join(bins["flannel"], "flanneld"), "flannel": filepath.Join(bins["flannel"], "flannel")},
			dockerfile: "FROM " + rootfs + "\nCOPY flanneld /opt/bin/flanneld\nCOPY flannel /flannel\n" +
				"ENTRYPOINT [\"/opt/bin/flanneld\"]\n",
		}},
		imageSpec{refs: uniq(kubeadmPause, kindPauseImage), bc: buildContext{
			files:      map[string]string{"pause": pauseBin},
			dockerfile: "FROM scratch\nCOPY pause /pause\nUSER 65535:65535\nENTRYPOINT [\"/pause\"]\n",
		}},
	)
	return specs
}

func uniq(refs ...string) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range refs {
		if r != "" && !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// kubeadmImages asks the freshly built kubeadm which images it will want.
func (b *builder) kubeadmImages(ctx context.Context, kbin, version string) (map[string]string, error) {
	out, err := buildstep.Command{Name: filepath.Join(kbin, "kubeadm"), Log: b.log,
		Args: []string{"config", "images", "list", "--kubernetes-version", version}}.Output(ctx)
	if err != nil {
		return nil, err
	}
	images := map[string]string{}
	for _, ref := range strings.Fields(out) {
		name := ref[strings.LastIndex(ref, "/")+1:]
		images[strings.Split(name, ":")[0]] = ref
	}
	if images["pause"] == "" {
		return nil, fmt.Errorf("kubeadm config images list printed no pause image: %q", out)
	}
	return images, nil
}
