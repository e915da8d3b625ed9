package upstream

import (
	"context"
	"fmt"
	"github.com/netconform/netconform/pkg/buildstep"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// StandIn is an e2e image rebuilt here from Debian packages and tagged
// with its upstream name, so the specs' pods find it (IfNotPresent) and
// nothing is pulled.
type StandIn struct {
	Name  string // agnhost
	Ref   string // registry.k8s.io/e2e-test-images/agnhost:2.63.0, what the specs ask for
	Local string // netconform.local/upstream-agnhost:<key>, the same image by its inputs
}

// standInConfigs maps each stand-in to its entry in upstream's
// test/utils/image/manifest.go (glibc-dns-testing was jessie-dnsutils before).
var standInConfigs = []struct {
	name    string
	configs []string
}{
	{"agnhost", []string{"Agnhost"}},
	{"glibc-dns-testing", []string{"GlibcDnsTesting", "JessieDnsutils"}},
	{"nginx", []string{"Nginx"}},
	{"busybox", []string{"BusyBox"}},
}

var (
	registryField = regexp.MustCompile(`(?m)^\s*(\w+Registry):\s*"([^"]+)",`)
	imageConfig   = regexp.MustCompile(`configs\[(\w+)\]\s*=\s*Config\{list\.(\w+),\s*"([^"]+)",\s*"([^"]+)"\}`)
)

// e2eImages reads the image names the tree's e2e.test will ask for.
func e2eImages(manifestPath string) (map[string]string, error) {
	src, err := os.ReadFile(manifestPath)
	if err != nil {
		return nil, fmt.Errorf("read the e2e image manifest: %w", err)
	}
	return parseManifest(string(src))
}

func parseManifest(src string) (map[string]string, error) {
	registries := map[string]string{}
	for _, m := range registryField.FindAllStringSubmatch(src, -1) {
		if _, seen := registries[m[1]]; !seen { // the defaults come first
			registries[m[1]] = m[2]
		}
	}
	configs := map[string]string{}
	for _, m := range imageConfig.FindAllStringSubmatch(src, -1) {
		reg, ok := registries[m[2]]
		if !ok {
			return nil, fmt.Errorf("manifest.go: image %s uses registry %s, which it does not define", m[1], m[2])
		}
		configs[m[1]] = reg + "/" + m[3] + ":" + m[4]
	}
	out := map[string]string{}
	for _, s := range standInConfigs {
		for _, c := range s.configs {
			if ref, ok := configs[c]; ok {
				out[s.name] = ref
				break
			}
		}
		if out[s.name] == "" {
			return nil, fmt.Errorf("manifest.go names no %s image (looked for %s)", s.name, strings.Join(s.configs, ", "))
		}
	}
	return out, nil
}

func tagOf(ref string) string { return ref[strings.LastIndex(ref, ":")+1:] }

const debianSuite = "bookworm"

// standInPackages: upstream's agnhost (Alpine) and glibc-dns-testing
// packages by their Debian names, busybox-static for the applets Debian
// lacks (notably wget) and for the busybox image, nginx-light for nginx.
// One rootfs for all four: one debootstrap, one shared layer in the nodes.
var standInPackages = []string{
	"bind9-dnsutils", "curl", "netcat-openbsd", "iproute2", "iperf", "iputils-ping",
	"procps", "busybox-static", "nginx-light", "ca-certificates",
}

const pathEnv = "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"

// dockerfiles of the stand-ins; ROOTFS is the debootstrapped base. Each
// follows upstream's test/images/<name>/Dockerfile except where noted.
var dockerfiles = map[string]string{
	// Not carried over: /coredns (only DNS specs outside the conformance
	// set run it) and the fake registry's /var/registry.
	"agnhost": "FROM ROOTFS\n" + pathEnv + `COPY agnhost localhost.crt localhost.key /
RUN for a in $(busybox --list); do command -v "$a" >/dev/null 2>&1 || ln -s /bin/busybox "/usr/local/bin/$a"; done \
    && ln -sf /usr/bin/iperf /usr/local/bin/iperf \
    && ln -s agnhost /agnhost-2 \
    && mkdir /uploads \
    && groupadd -g 50000 group-defined-in-image \
    && useradd -u 1000 -M -s /bin/sh -G group-defined-in-image user-defined-in-image
EXPOSE 80 8080 8081 9376 5000
ENTRYPOINT ["/agnhost"]
CMD ["pause"]
`,
	"glibc-dns-testing": "FROM ROOTFS\n" + pathEnv + `CMD ["bash"]
`,
	// As the nginx image's own entrypoint does: listen on [::] only where
	// the pod has IPv6.
	"nginx": "FROM ROOTFS\n" + pathEnv + `COPY nginx-entrypoint.sh /docker-entrypoint.sh
RUN chmod 0755 /docker-entrypoint.sh \
    && ln -sf /dev/stdout /var/log/nginx/access.log \
    && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 80
STOPSIGNAL SIGQUIT
ENTRYPOINT ["/docker-entrypoint.sh"]
CMD ["nginx", "-g", "daemon off;"]
`,
	"busybox": `FROM ROOTFS AS debian
RUN mkdir -p /out/bin /out/etc /out/tmp /out/root /out/home /out/var \
    && chmod 1777 /out/tmp \
    && cp /bin/busybox /out/bin/busybox \
    && for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "/out/bin/$a"; done \
    && printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'daemon:x:1:1:daemon:/usr/sbin:/bin/false' 'www-data:x:33:33:www-data:/var/www:/bin/false' 'nobody:x:65534:65534:nobody:/home:/bin/false' >/out/etc/passwd \
    && printf '%s\n' 'root:x:0:' 'daemon:x:1:' 'www-data:x:33:' 'nogroup:x:65534:' >/out/etc/group
FROM scratch
COPY --from=debian /out/ /
` + pathEnv + `CMD ["sh"]
`,
}

const nginxEntrypoint = `#!/bin/sh
[ -e /proc/net/if_inet6 ] || sed -i '/listen \[::\]/d' /etc/nginx/sites-enabled/default
exec "$@"
`

// standIns builds (or finds) the four images and tags them with the names
// the specs use. agnhostDir is upstream's test/images/agnhost (porter's key pair).
func (b *builder) standIns(ctx context.Context, refs map[string]string, agnhost, agnhostDir string) ([]StandIn, error) {
	rootfs, err := b.standInRootfs(ctx)
	if err != nil {
		return nil, err
	}
	var out []StandIn
	for _, s := range standInConfigs {
		extra := ""
		if s.name == "agnhost" {
			extra = agnhost // its directory name is the binary's key
		}
		key := cacheKey([]string{"images.go"}, rootfs, s.name, refs[s.name], extra)
		si := StandIn{Name: s.name, Ref: refs[s.name], Local: "netconform.local/upstream-" + s.name + ":" + key}
		out = append(out, si)
		step := "image " + si.Ref
		if imageExists(ctx, si.Local) {
			// Point the upstream name at this build, whatever it named before.
			if err := b.docker(ctx, "tag", si.Local, si.Ref); err != nil {
				return nil, err
			}
			b.cached(step, si.Local)
			continue
		}
		if b.noBuild {
			return nil, b.missing(step)
		}
		files := map[string]string{}
		if s.name == "agnhost" {
			files["agnhost"] = agnhost
			files["localhost.crt"] = filepath.Join(agnhostDir, "porter", "localhost.crt")
			files["localhost.key"] = filepath.Join(agnhostDir, "porter", "localhost.key")
		}
		literal := map[string]string{"Dockerfile": strings.ReplaceAll(dockerfiles[s.name], "ROOTFS", rootfs)}
		if s.name == "nginx" {
			literal["nginx-entrypoint.sh"] = nginxEntrypoint
		}
		if _, err := b.phase(step+" (docker build)", nil, func() error {
			return b.dockerBuild(ctx, files, literal, si.Local, si.Ref)
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// standInRootfs debootstraps the stand-ins' Debian from the host's apt
// mirror (containers cannot reach it: the egress guard) and imports it.
func (b *builder) standInRootfs(ctx context.Context) (string, error) {
	mirror := buildstep.DebianMirror()
	key := cacheKey([]string{"images.go"}, debianSuite, mirror, strings.Join(standInPackages, ","))
	ref := "netconform.local/upstream-rootfs:" + key
	step := "debian " + debianSuite + " rootfs for the stand-in images"
	if imageExists(ctx, ref) {
		b.cached(step, ref)
		return ref, nil
	}
	if b.noBuild {
		return "", b.missing(step)
	}
	_, err := b.phase(step+" (debootstrap)", nil, func() error {
		if _, err := exec.LookPath("debootstrap"); err != nil {
			return fmt.Errorf("debootstrap is not installed: apt-get install -y debootstrap (or `sudo ci/prepare-host.sh`)")
		}
		if os.Geteuid() != 0 {
			return fmt.Errorf("debootstrap needs root: run `sudo make upstream`")
		}
		dir, err := os.MkdirTemp(b.cacheDir, "upstream-rootfs-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		err = buildstep.Command{Name: "debootstrap", Log: b.log, Args: []string{
			"--variant=minbase", "--include=" + strings.Join(standInPackages, ","), debianSuite, dir, mirror}}.Run(ctx)
		if err != nil {
			return err
		}
		// Package lists and docs are not needed at run time.
		for _, p := range []string{"var/lib/apt/lists", "var/cache/apt", "usr/share/doc", "usr/share/man", "usr/share/locale"} {
			os.RemoveAll(filepath.Join(dir, p))
		}
		return buildstep.Command{Name: "sh", Log: b.log, Args: []string{"-c",
			fmt.Sprintf("tar -C %q -c . | docker import - %s", dir, ref)}}.Run(ctx)
	})
	return ref, err
}

// dockerBuild builds with the legacy builder (this Docker has no BuildKit).
func (b *builder) dockerBuild(ctx context.Context, files, literal map[string]string, tags ...string) error {
	dir, err := os.MkdirTemp(b.cacheDir, "upstream-ctx-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	for name, src := range files {
		if err := buildstep.CopyTree(src, filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	for name, content := range literal {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return err
		}
	}
	args := []string{"build", "-q"}
	for _, t := range tags {
		args = append(args, "-t", t)
	}
	return buildstep.Command{Name: "docker", Log: b.log, Env: []string{"DOCKER_BUILDKIT=0"}, Args: append(args, dir)}.Run(ctx)
}

func (b *builder) docker(ctx context.Context, args ...string) error {
	return buildstep.Command{Name: "docker", Log: b.log, Args: args}.Run(ctx)
}

func imageExists(ctx context.Context, ref string) bool {
	return buildstep.Command{Name: "docker", Args: []string{"image", "inspect", ref}}.Run(ctx) == nil
}
