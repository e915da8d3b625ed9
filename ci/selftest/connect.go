package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/netconform/netconform/pkg/claims"
	"github.com/netconform/netconform/pkg/faults"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/nodeimage"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/kind/pkg/cluster"
)

// guard decides, before anything runs, whether the self-test may break
// cluster name, and how the catalogue reaches it; for an existing cluster
// it writes the kubeconfig kind gives for it.
func guard(name string, optIn bool) (mode, string, error) {
	p := cluster.NewProvider(cluster.ProviderWithDocker())
	names, err := p.List()
	if err != nil {
		return 0, "", fmt.Errorf("list kind clusters (is Docker running?): %w", err)
	}
	exists := false
	for _, n := range names {
		exists = exists || n == name
	}
	st, err := readState(name)
	if err != nil {
		return 0, "", err
	}
	m, err := chooseTarget(name, exists, st, st != nil && st.Owner.Alive(), optIn)
	if err != nil || m == suiteCluster {
		return m, "", err
	}
	kc, err := p.KubeConfig(name, false)
	if err != nil {
		return 0, "", fmt.Errorf("kubeconfig of kind cluster %s: %w", name, err)
	}
	dir := filepath.Join(nodeimage.DefaultCacheDir(), "selftest") // the user's own, not the shared temp dir
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return 0, "", err
	}
	path := filepath.Join(dir, name+".kubeconfig")
	return m, path, os.WriteFile(path, []byte(kc), 0o600)
}

// connect reaches the cluster the healthy run used: for the suite's, the
// kubeconfig its record names, once the record shows it made and kept.
func connect(ctx context.Context, m mode, name, kubeconfig string) (*faults.Env, error) {
	if m == suiteCluster {
		st, err := readState(name)
		switch {
		case err != nil:
			return nil, err
		case st == nil || !st.Ready || !st.Keep:
			return nil, fmt.Errorf("after the healthy run, %s does not record cluster %s as made and kept (%+v): no fault applied", stateDir(), name, st)
		}
		kubeconfig = st.Kubeconfig
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return nil, fmt.Errorf("kubeconfig %s: %w", kubeconfig, err)
	}
	c, err := kube.NewClient(cfg)
	if err != nil {
		return nil, err
	}
	return faults.NewEnv(ctx, c, name, faults.Docker{}, os.Stdout)
}

func sortClaims(ids []string) {
	sort.Slice(ids, func(i, j int) bool { return claims.Less(ids[i], ids[j]) })
}
