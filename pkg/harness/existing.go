package harness

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/modroot"
	"github.com/netconform/netconform/pkg/testimage"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
)

// givenKubeconfig is the kubeconfig the user pointed at (--kubeconfig, then
// $KUBECONFIG); empty means the suite makes its own kind cluster.
func givenKubeconfig(cfg *envconf.Config) string {
	if kc := cfg.KubeconfigFile(); kc != "" {
		return kc
	}
	return os.Getenv("KUBECONFIG")
}

// existingCluster uses a cluster the suite did not make: no Docker, no kind.
func existingCluster(ctx context.Context, cfg *envconf.Config, kubeconfig string) (*Suite, error) {
	if _, err := os.Stat(kubeconfig); err != nil {
		return nil, fmt.Errorf("kubeconfig %s: %w", kubeconfig, err)
	}
	cfg.WithKubeconfigFile(kubeconfig)
	c, err := clientFor(cfg)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := c.CoreV1().Namespaces().Get(ctx, "kube-system", metav1GetOptions); err != nil {
		return nil, fmt.Errorf("cluster of %s is not usable: %w", kubeconfig, err)
	}
	root, err := modroot.Find()
	if err != nil {
		return nil, err
	}
	image := os.Getenv("NETCONFORM_PROBE_IMAGE")
	if image == "" {
		if image, err = testimage.Ref(root); err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(os.Stderr, "[cluster] existing cluster from %s; probe image %s must be present on its nodes\n", kubeconfig, image)
	return &Suite{Client: c, ProbeImage: image, Kubeconfig: kubeconfig}, nil
}

func clientFor(cfg *envconf.Config) (*kube.Client, error) {
	kc := cfg.Client()
	if kc == nil {
		return nil, fmt.Errorf("no Kubernetes client for %s", cfg.KubeconfigFile())
	}
	return kube.NewClient(kc.RESTConfig())
}
