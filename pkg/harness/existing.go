package harness

import (
	"context"
	"fmt"
	"os"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/testimage"
	"sigs.k8s.io/e2e-framework/klient"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
)

// existingCluster uses a cluster the suite did not make. It runs no docker
// and no kind, and calls nothing in pkg/kindcluster: the probe image is the
// user's to put on the nodes (kind load) or in a registry (--image-repo).
// A preflight reports bad input within seconds, before any test runs.
func existingCluster(ctx context.Context, cfg *envconf.Config, o *Options, root, kubeconfig string) (*Suite, error) {
	t, err := loadTarget(kubeconfig, givenContext(cfg))
	if err != nil {
		return nil, err
	}
	img, err := existingProbeImage(root, o.ImageRepo)
	if err != nil {
		return nil, err
	}
	pre, err := kube.NewClient(withRequestTimeout(t.Config))
	if err != nil {
		return nil, err
	}
	facts, err := preflight(ctx, pre, t, img, os.Stderr)
	if len(facts.Nodes) > 0 { // detection ran
		for _, line := range facts.summary() {
			fmt.Fprintln(os.Stderr, line)
		}
	}
	if err != nil {
		return nil, err
	}
	c, err := kube.NewClient(t.Config)
	if err != nil {
		return nil, err
	}
	// Tests that take the e2e-framework client get the same cluster and context.
	kc, err := klient.New(t.Config)
	if err != nil {
		return nil, err
	}
	cfg.WithClient(kc).WithKubeconfigFile(t.Kubeconfig).WithKubeContext(t.Context)
	return &Suite{Client: c, ProbeImage: img.Image, Kubeconfig: t.Kubeconfig, Context: t.Context, ImageRepo: img.Repo}, nil
}

// existingProbeImage: NETCONFORM_PROBE_IMAGE as given, else the
// content-hashed ref of this checkout, under --image-repo when given.
func existingProbeImage(root, repo string) (probeTarget, error) {
	local, err := testimage.Ref(root)
	if err != nil {
		return probeTarget{}, err
	}
	img := probeTarget{LocalRef: local, Repo: repo}
	if img.Image = os.Getenv("NETCONFORM_PROBE_IMAGE"); img.Image != "" {
		return img, nil
	}
	img.Image, err = probeImageFor(local, repo)
	return img, err
}

func clientFor(cfg *envconf.Config) (*kube.Client, error) {
	kc := cfg.Client()
	if kc == nil {
		return nil, fmt.Errorf("no Kubernetes client for %s", cfg.KubeconfigFile())
	}
	return kube.NewClient(kc.RESTConfig())
}
