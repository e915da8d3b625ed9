package nodeimage

import (
	"context"
	"fmt"
	"github.com/netconform/netconform/pkg/buildstep"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// debianKeyring holds the keys that sign the Debian archive.
const debianKeyring = "/usr/share/keyrings/debian-archive-keyring.gpg"

// rootfsImage debootstraps a minimal Debian and imports it into Docker; the
// node base, kube-proxy and flannel images build on it (they need iptables,
// nft, conntrack and systemd).
func (b *builder) rootfsImage(ctx context.Context) (string, error) {
	mirror := buildstep.DebianMirror()
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
		if _, err := os.Stat(debianKeyring); err != nil {
			return fmt.Errorf("the Debian archive keyring %s is missing (apt-get install -y debian-archive-keyring): without it the rootfs of privileged nodes would be unauthenticated", debianKeyring)
		}
		// The mirror is plain http: the archive's signature, checked
		// against Debian's keyring and enforced, is what authenticates it.
		err = buildstep.Command{Name: "debootstrap", Log: b.log, Args: []string{
			"--variant=minbase", "--include=" + strings.Join(rootfsPackages, ","),
			"--keyring=" + debianKeyring, "--force-check-gpg",
			DebianSuite, dir, mirror}}.Run(ctx)
		if err != nil {
			return err
		}
		// Keep the image lean: package lists and docs are not needed at run time.
		for _, p := range []string{"var/lib/apt/lists", "var/cache/apt", "usr/share/doc", "usr/share/man", "usr/share/locale"} {
			os.RemoveAll(filepath.Join(dir, p))
		}
		return buildstep.Command{Name: "sh", Log: b.log, Args: []string{"-c",
			fmt.Sprintf("tar -C %q -c . | docker import -c 'ENV container=docker' - %s", dir, ref)}}.Run(ctx)
	})
	return ref, err
}
