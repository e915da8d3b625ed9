package nodeimage

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// rootfsImage debootstraps a minimal Debian and imports it into Docker; the
// node base, kube-proxy and flannel images build on it (they need iptables,
// nft, conntrack and systemd).
func (b *builder) rootfsImage(ctx context.Context) (string, error) {
	mirror := debianMirror()
	key := cacheKey([]string{"rootfs.go", "versions.go"}, DebianSuite, mirror, strings.Join(rootfsPackages, ","))
	ref := "netconform.local/rootfs:" + key
	if imageExists(ctx, ref) {
		b.progress.printf("debian %s rootfs: cached (%s)", DebianSuite, ref)
		return ref, nil
	}
	err := b.progress.phase("debian "+DebianSuite+" rootfs (debootstrap)", func() error {
		if _, err := exec.LookPath("debootstrap"); err != nil {
			return fmt.Errorf("debootstrap is not installed: apt-get install -y debootstrap")
		}
		dir, err := os.MkdirTemp(b.cacheDir, "rootfs-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		err = command{name: "debootstrap", log: b.log, args: []string{
			"--variant=minbase", "--include=" + strings.Join(rootfsPackages, ","),
			DebianSuite, dir, mirror}}.run(ctx)
		if err != nil {
			return err
		}
		// Keep the image lean: package lists and docs are not needed at run time.
		for _, p := range []string{"var/lib/apt/lists", "var/cache/apt", "usr/share/doc", "usr/share/man", "usr/share/locale"} {
			os.RemoveAll(filepath.Join(dir, p))
		}
		return command{name: "sh", log: b.log, args: []string{"-c",
			fmt.Sprintf("tar -C %q -c . | docker import -c 'ENV container=docker' - %s", dir, ref)}}.run(ctx)
	})
	return ref, err
}

// debianMirror is NETCONFORM_DEBIAN_MIRROR, else the first Debian URI of the
// host's apt sources, else deb.debian.org.
func debianMirror() string {
	if m := os.Getenv("NETCONFORM_DEBIAN_MIRROR"); m != "" {
		return m
	}
	files, _ := filepath.Glob("/etc/apt/sources.list.d/*")
	for _, f := range append([]string{"/etc/apt/sources.list"}, files...) {
		if m := mirrorIn(f); m != "" {
			return m
		}
	}
	return defaultDebianMirror
}

// mirrorIn finds a main-archive Debian URI in a one-line or deb822 sources file.
func mirrorIn(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		for _, field := range strings.Fields(s.Text()) {
			if strings.HasPrefix(field, "#") {
				break
			}
			if strings.HasPrefix(field, "http") && strings.HasSuffix(strings.TrimSuffix(field, "/"), "/debian") {
				return strings.TrimSuffix(field, "/")
			}
		}
	}
	return ""
}
