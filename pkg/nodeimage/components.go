package nodeimage

import (
	"context"
	"fmt"
	"github.com/netconform/netconform/pkg/buildstep"
	"os"
	"path/filepath"
	"strings"
)

// component is a binary (or a few) built from Go modules through the proxy.
type component struct {
	name    string
	version string
	build   func(ctx context.Context, b *builder, out string) error
}

var components = []component{
	{"containerd", ContainerdVersion, buildContainerd},
	{"runc", RuncVersion, buildRunc},
	{"cni-plugins", CNIPluginsVersion, buildCNIPlugins},
	{"flannel", FlannelVersion + "+cni-" + FlannelCNIVersion, buildFlannel},
	{"etcd", EtcdVersion, buildEtcd},
	{"coredns", CoreDNSVersion, buildCoreDNS},
}

// componentBinaries builds every component not already in the cache and
// returns the directory of each by name.
func (b *builder) componentBinaries(ctx context.Context) (map[string]string, error) {
	dirs := map[string]string{}
	for _, c := range components {
		key := cacheKey([]string{"components.go"}, c.name, c.version, b.goVersion)
		out := filepath.Join(b.cacheDir, "bin", c.name+"-"+key)
		dirs[c.name] = out
		if buildstep.Complete(out) {
			b.progress.printf("%s %s: cached", c.name, c.version)
			continue
		}
		err := b.progress.phase(c.name+" "+c.version, func() error {
			os.RemoveAll(out)
			if err := os.MkdirAll(out, 0o755); err != nil {
				return err
			}
			if err := c.build(ctx, b, out); err != nil {
				return err
			}
			return buildstep.MarkComplete(out)
		})
		if err != nil {
			return nil, err
		}
	}
	return dirs, nil
}

// goInstall runs `go install pkg@version ...` with GOBIN=out.
func goInstall(ctx context.Context, b *builder, out string, env []string, args ...string) error {
	cmd := b.goCmd(ctx, "", append([]string{"install", "-trimpath"}, args...)...)
	cmd.Env = append(cmd.Env, append([]string{"GOBIN=" + out, "GOFLAGS=-mod=mod"}, env...)...)
	return cmd.Run(ctx)
}

func buildContainerd(ctx context.Context, b *builder, out string) error {
	mod := "github.com/containerd/containerd/v2"
	v := ContainerdVersion
	return goInstall(ctx, b, out, []string{"CGO_ENABLED=0"},
		"-tags", "no_btrfs no_devmapper no_zfs no_aufs",
		"-ldflags", fmt.Sprintf("-s -w -X %s/version.Version=%s", mod, v),
		mod+"/cmd/containerd@"+v, mod+"/cmd/ctr@"+v, mod+"/cmd/containerd-shim-runc-v2@"+v)
}

// runc needs cgo for libseccomp (Debian's libseccomp-dev), linked statically.
func buildRunc(ctx context.Context, b *builder, out string) error {
	if _, err := os.Stat("/usr/lib/x86_64-linux-gnu/libseccomp.a"); err != nil && !fileExistsGlob("/usr/lib/*/libseccomp.a") {
		return fmt.Errorf("runc needs libseccomp-dev: apt-get install -y libseccomp-dev")
	}
	return goInstall(ctx, b, out, []string{"CGO_ENABLED=1"},
		"-tags", "seccomp",
		"-ldflags", fmt.Sprintf("-s -w -X main.version=%s -extldflags -static", strings.TrimPrefix(RuncVersion, "v")),
		"github.com/opencontainers/runc@"+RuncVersion)
}

func buildCNIPlugins(ctx context.Context, b *builder, out string) error {
	mod := "github.com/containernetworking/plugins/plugins/"
	v := "@" + CNIPluginsVersion
	return goInstall(ctx, b, out, []string{"CGO_ENABLED=0"}, "-ldflags", "-s -w",
		mod+"ipam/host-local"+v, mod+"main/loopback"+v, mod+"main/ptp"+v,
		mod+"main/bridge"+v, mod+"meta/portmap"+v)
}

// flanneld builds without cgo once two backends are dropped from its main:
// tencentvpc (a dependency the proxy refuses) and udp (needs cgo). Its CNI
// plugin lives in containernetworking/plugins v0.9.1.
func buildFlannel(ctx context.Context, b *builder, out string) error {
	mods, err := b.downloadModules(ctx, "github.com/flannel-io/flannel@"+FlannelVersion)
	if err != nil {
		return err
	}
	src := filepath.Join(b.cacheDir, "src", "flannel-"+FlannelVersion)
	os.RemoveAll(src)
	if err := buildstep.CopyTree(mods[0].Dir, src); err != nil {
		return err
	}
	main := filepath.Join(src, "main.go")
	text, err := os.ReadFile(main)
	if err != nil {
		return err
	}
	patched := dropLines(string(text), "pkg/backend/tencentvpc\"", "pkg/backend/udp\"")
	if err := os.WriteFile(main, []byte(patched), 0o644); err != nil {
		return err
	}
	cmd := b.goCmd(ctx, src, "build", "-trimpath", "-o", filepath.Join(out, "flanneld"),
		"-ldflags", "-s -w -X github.com/flannel-io/flannel/pkg/version.Version="+FlannelVersion, ".")
	cmd.Env = append(cmd.Env, "CGO_ENABLED=0", "GOFLAGS=-mod=mod")
	if err := cmd.Run(ctx); err != nil {
		return err
	}
	return goInstall(ctx, b, out, []string{"CGO_ENABLED=0", "GO111MODULE=on"}, "-ldflags", "-s -w",
		"github.com/containernetworking/plugins/plugins/meta/flannel@"+FlannelCNIVersion)
}

// etcd's server module has replace directives, so it is built from a
// wrapper module that requires its sibling modules at the same version.
func buildEtcd(ctx context.Context, b *builder, out string) error {
	src := filepath.Join(b.cacheDir, "src", "etcd-wrapper-"+EtcdVersion)
	os.RemoveAll(src)
	if err := os.MkdirAll(src, 0o755); err != nil {
		return err
	}
	v := "v" + EtcdVersion
	gomod := "module netconform.local/etcdwrapper\n\ngo 1.24\n\nrequire (\n"
	for _, m := range []string{"server", "etcdctl", "api", "client/v3", "client/pkg", "pkg"} {
		path := "go.etcd.io/etcd/" + m
		if !strings.HasSuffix(m, "/v3") {
			path += "/v3"
		}
		gomod += "\t" + path + " " + v + "\n"
	}
	gomod += ")\n"
	tools := "//go:build tools\n\npackage tools\n\nimport (\n\t_ \"go.etcd.io/etcd/server/v3\"\n\t_ \"go.etcd.io/etcd/etcdctl/v3\"\n)\n"
	if err := os.WriteFile(filepath.Join(src, "go.mod"), []byte(gomod), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(src, "tools.go"), []byte(tools), 0o644); err != nil {
		return err
	}
	tidy := b.goCmd(ctx, src, "mod", "tidy", "-e")
	if err := tidy.Run(ctx); err != nil {
		return err
	}
	build := b.goCmd(ctx, src, "build", "-trimpath", "-ldflags", "-s -w", "-o", out+"/",
		"go.etcd.io/etcd/server/v3", "go.etcd.io/etcd/etcdctl/v3")
	build.Env = append(build.Env, "CGO_ENABLED=0", "GOFLAGS=-mod=mod")
	if err := build.Run(ctx); err != nil {
		return err
	}
	// go build names a /v3 package's binary after the element before it.
	return os.Rename(filepath.Join(out, "server"), filepath.Join(out, "etcd"))
}

func buildCoreDNS(ctx context.Context, b *builder, out string) error {
	return goInstall(ctx, b, out, []string{"CGO_ENABLED=0"}, "-ldflags", "-s -w",
		"github.com/coredns/coredns@"+CoreDNSVersion)
}

// dropLines removes every line containing one of the markers.
func dropLines(text string, markers ...string) string {
	lines := strings.Split(text, "\n")
	kept := lines[:0]
	for _, l := range lines {
		drop := false
		for _, m := range markers {
			drop = drop || strings.Contains(l, m)
		}
		if !drop {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "\n")
}

func fileExistsGlob(pattern string) bool {
	m, _ := filepath.Glob(pattern)
	return len(m) > 0
}
