package upstream

import (
	"context"
	"fmt"
	"github.com/netconform/netconform/pkg/buildstep"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"k8s.io/client-go/discovery"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/kind/pkg/cluster"
	"sigs.k8s.io/kind/pkg/cluster/nodes"
	"sigs.k8s.io/kind/pkg/cluster/nodeutils"
)

// DockerReachable explains how to get a Docker engine when there is none.
func DockerReachable(ctx context.Context) error {
	if _, err := exec.LookPath("docker"); err != nil {
		return fmt.Errorf("the docker CLI is not installed: run `sudo ci/prepare-host.sh` (installs and starts the Docker engine)")
	}
	if out, err := exec.CommandContext(ctx, "docker", "info", "-f", "{{.ServerVersion}}").CombinedOutput(); err != nil {
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		return fmt.Errorf("the Docker engine is not reachable (%s): run `sudo ci/prepare-host.sh` to install and start it", lines[len(lines)-1])
	}
	return nil
}

func provider() *cluster.Provider { return cluster.NewProvider(cluster.ProviderWithDocker()) }

// Kubeconfig writes the kind cluster's kubeconfig (host address) to path and
// checks that its API server answers and runs version: upstream's specs are
// only meaningful against the release they were built from.
func Kubeconfig(ctx context.Context, name, version, path string) error {
	version, err := normalizeVersion(version)
	if err != nil {
		return err
	}
	p := provider()
	names, err := p.List()
	if err != nil {
		return fmt.Errorf("list kind clusters (is Docker running? `sudo ci/prepare-host.sh` starts it): %w", err)
	}
	if !slices.Contains(names, name) {
		have := "none"
		if len(names) > 0 {
			have = strings.Join(names, ", ")
		}
		return fmt.Errorf("no kind cluster named %q (kind clusters here: %s): make the suite's cluster and keep it with `NETCONFORM_KEEP_CLUSTER=1 make e2e`, or name another with NETCONFORM_CLUSTER_NAME",
			name, have)
	}
	kc, err := p.KubeConfig(name, false)
	if err != nil {
		return fmt.Errorf("kubeconfig of kind cluster %s: %w", name, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(path, []byte(kc), 0o600); err != nil {
		return err
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", path)
	if err != nil {
		return err
	}
	cfg.Timeout = 15 * time.Second
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return err
	}
	sv, err := dc.ServerVersion()
	if err != nil {
		return fmt.Errorf("the API server of kind cluster %s does not answer (%v): are its node containers running? `docker ps -a --filter label=io.x-k8s.kind.cluster=%s`", name, err, name)
	}
	if gv := sv.GitVersion; gv != version && !strings.HasPrefix(gv, version+"-") && !strings.HasPrefix(gv, version+"+") {
		return fmt.Errorf("kind cluster %s runs Kubernetes %s, not %s: run `make upstream K8S_VERSION=%s`", name, sv.GitVersion, version, strings.TrimPrefix(sv.GitVersion, "v"))
	}
	return nil
}

// Load puts the stand-in images into every node of the kind cluster, as
// `kind load docker-image` does, skipping nodes that already have this
// build (both its tags): a warm run loads nothing.
func Load(ctx context.Context, name string, images []StandIn, out io.Writer) (time.Duration, error) {
	p := &progress{out: out, aliveEvery: 30 * time.Second}
	all, err := provider().ListInternalNodes(name)
	if err != nil {
		return 0, fmt.Errorf("list the nodes of kind cluster %s: %w", name, err)
	}
	var lacking []nodes.Node
	for _, n := range all {
		have, err := nodeImages(n)
		if err != nil {
			return 0, err
		}
		for _, im := range images {
			// Both names, on the same image: the upstream name may have
			// been loaded from another build.
			if d := have[im.Local]; d == "" || have[im.Ref] != d {
				lacking = append(lacking, n)
				break
			}
		}
	}
	if len(lacking) == 0 {
		p.printf("stand-in images: already in all %d nodes", len(all))
		return 0, nil
	}
	var refs []string
	for _, im := range images {
		refs = append(refs, im.Local, im.Ref)
	}
	return p.phase(fmt.Sprintf("load %d stand-in images into %d of %d nodes", len(images), len(lacking), len(all)), nil, func() error {
		// One archive for all nodes: the images share their Debian layer.
		dir, err := os.MkdirTemp("", "netconform-upstream-images-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		archive := filepath.Join(dir, "images.tar")
		if err := (buildstep.Command{Name: "docker", Args: append([]string{"save", "-o", archive}, refs...)}).Run(ctx); err != nil {
			return err
		}
		for _, n := range lacking {
			// Opened per node, after docker save is done (it writes a temporary file and renames it).
			if err := loadArchive(n, archive); err != nil {
				return fmt.Errorf("load the stand-in images into node %s: %w", n.String(), err)
			}
		}
		return nil
	})
}

func loadArchive(n nodes.Node, archive string) error {
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	return nodeutils.LoadImageArchive(n, f)
}

// nodeImages maps the image names the node's containerd has to their digests.
func nodeImages(n nodes.Node) (map[string]string, error) {
	var out strings.Builder
	if err := n.Command("ctr", "--namespace=k8s.io", "images", "ls").SetStdout(&out).Run(); err != nil {
		return nil, fmt.Errorf("list images in node %s: %w", n.String(), err)
	}
	return parseImageList(out.String()), nil
}

// parseImageList reads `ctr images ls`: REF TYPE DIGEST SIZE PLATFORMS LABELS.
func parseImageList(out string) map[string]string {
	have := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) >= 3 && strings.HasPrefix(f[2], "sha256:") {
			have[f[0]] = f[2]
		}
	}
	return have
}
