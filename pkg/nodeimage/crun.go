package nodeimage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/netconform/netconform/pkg/buildstep"
)

// crun is the nodes' OCI runtime (runc stays in the image beside it). A
// run makes about 100 pods, each two containers, and a runtime call of
// runc, a Go binary, costs far more CPU than one of crun, which is C: on
// this 2-core machine the catalogue ran 83-95 s on runc and 71-73 s on crun
// with the cgroupfs driver (the same cluster, one session). Its source is
// Debian's copy of the release (http, like debootstrap's mirror), checked
// against the pinned SHA-256 before anything is built from it.
const (
	CrunVersion = "1.21"
	crunSource  = "pool/main/c/crun/crun_" + CrunVersion + ".orig.tar.gz"
	crunSHA256  = "4bfb700e764a4804a4de3ecf07753f4c391005356d60356df65d80ae0914c486"
)

// crun registers itself here rather than in components.go, whose text is
// in every component's cache key: adding it rebuilt nothing else. Its own
// recipe (this file) is in its version, and so in its key.
func init() {
	components = append(components, component{"crun", CrunVersion + "+recipe-" + cacheKey([]string{"crun.go"}), buildCrun})
}

// crunNeeds are the host's build tools and static libraries crun needs
// (ci/prepare-host.sh installs them), each with its Debian package.
var crunNeeds = []struct{ path, pkg string }{
	{"/usr/bin/make", "make"}, {"/usr/bin/pkg-config", "pkgconf"},
	{"/usr/lib/*/libcap.a", "libcap-dev"}, {"/usr/lib/*/libseccomp.a", "libseccomp-dev"},
}

// buildCrun builds a static crun without systemd support: the kubelet and
// containerd of the suite's clusters use the cgroupfs driver (kindcluster's
// config), and a static binary runs on any node rootfs.
func buildCrun(ctx context.Context, b *builder, out string) error {
	var missing []string
	for _, n := range crunNeeds {
		if !fileExistsGlob(n.path) {
			missing = append(missing, n.pkg)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("crun needs %s: apt-get install -y %s (or run ci/prepare-host.sh)", strings.Join(missing, ", "), strings.Join(missing, " "))
	}
	work := filepath.Join(b.cacheDir, "src", "crun-build")
	os.RemoveAll(work)
	defer os.RemoveAll(work)
	if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	tarball := filepath.Join(work, "crun.tar.gz")
	url := strings.TrimSuffix(buildstep.DebianMirror(), "/") + "/" + crunSource
	if err := download(ctx, url, tarball, crunSHA256); err != nil {
		return err
	}
	run := func(dir, name string, args ...string) error {
		return buildstep.Command{Name: name, Args: args, Dir: dir, Log: b.log}.Run(ctx)
	}
	if err := run(work, "tar", "xzf", tarball); err != nil {
		return err
	}
	src := filepath.Join(work, "crun-"+CrunVersion)
	// The release tarball leaves out the header its git checkout generates.
	if err := os.WriteFile(filepath.Join(src, "git-version.h"), []byte(fmt.Sprintf("#define GIT_VERSION %q\n", CrunVersion)), 0o644); err != nil {
		return err
	}
	steps := [][]string{
		{"./configure", "--disable-systemd", "--disable-criu", "--enable-embedded-yajl", "--disable-shared", "--enable-static"},
		{"make", "-C", "libocispec/yajl", "-j2"},
		{"make", "-j2", "crun", "LDFLAGS=-all-static"},
		{"strip", "crun"},
	}
	for _, s := range steps {
		if err := run(src, s[0], s[1:]...); err != nil {
			return fmt.Errorf("crun %s: %s: %w", CrunVersion, strings.Join(s, " "), err)
		}
	}
	return buildstep.CopyTree(filepath.Join(src, "crun"), filepath.Join(out, "crun"))
}

// download fetches url to path and checks its SHA-256; a mismatch leaves
// nothing behind.
func download(ctx context.Context, url, path, want string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("download %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("download %s: %s (set NETCONFORM_DEBIAN_MIRROR to a Debian mirror that has it)", url, resp.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(f, h), resp.Body); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("download %s: %w", url, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		os.Remove(path)
		return fmt.Errorf("download %s: SHA-256 %s, want %s: not the pinned release; nothing was built from it", url, got, want)
	}
	return nil
}
