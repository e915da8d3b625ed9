package harness

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
)

// target is the cluster an existing-cluster run tests: one context of one
// kubeconfig file. Every preflight message names it, so the user knows
// which file and context to fix.
type target struct {
	Kubeconfig string
	Context    string // as named in the kubeconfig (its current-context when none was given)
	Server     string
	Config     *rest.Config
}

func (t target) String() string {
	return fmt.Sprintf("kubeconfig %s, context %q", t.Kubeconfig, t.Context)
}

// givenKubeconfig is the kubeconfig the user pointed at: --kubeconfig, then
// the first existing file of $KUBECONFIG (a path list, as for kubectl).
// A context given without either means ~/.kube/config. Empty means the
// suite makes its own kind cluster.
func givenKubeconfig(cfg *envconf.Config) string {
	if kc := cfg.KubeconfigFile(); kc != "" {
		return kc
	}
	if list := filepath.SplitList(os.Getenv("KUBECONFIG")); len(list) > 0 {
		for _, f := range list {
			if _, err := os.Stat(f); err == nil {
				return f
			}
		}
		return list[0] // missing: loadTarget says so
	}
	if givenContext(cfg) != "" {
		return clientcmd.RecommendedHomeFile
	}
	return ""
}

// givenContext is e2e-framework's own --context flag, else NETCONFORM_CONTEXT
// (environment variables pass through `go test ./...`, flags need -args).
func givenContext(cfg *envconf.Config) string {
	if c := cfg.KubeContext(); c != "" {
		return c
	}
	return os.Getenv("NETCONFORM_CONTEXT")
}

// loadTarget reads the kubeconfig and resolves the context; nothing is
// contacted yet.
func loadTarget(kubeconfig, context string) (target, error) {
	if _, err := os.Stat(kubeconfig); err != nil {
		return target{}, fmt.Errorf("kubeconfig %s: %w", kubeconfig, err)
	}
	loader := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(
		&clientcmd.ClientConfigLoadingRules{ExplicitPath: kubeconfig},
		&clientcmd.ConfigOverrides{CurrentContext: context})
	raw, err := loader.RawConfig()
	if err != nil {
		return target{}, fmt.Errorf("read kubeconfig %s: %w", kubeconfig, err)
	}
	t := target{Kubeconfig: kubeconfig, Context: context}
	if t.Context == "" {
		t.Context = raw.CurrentContext
	}
	if _, ok := raw.Contexts[t.Context]; !ok {
		return target{}, fmt.Errorf("kubeconfig %s has no context %q; it has: %s.\nPick one with --context NAME (env NETCONFORM_CONTEXT)", kubeconfig, t.Context, contextNames(raw.Contexts))
	}
	if t.Config, err = loader.ClientConfig(); err != nil {
		return target{}, fmt.Errorf("%s: %w", t, err)
	}
	t.Server = t.Config.Host
	return t, nil
}

func contextNames[V any](m map[string]V) string {
	if len(m) == 0 {
		return "none"
	}
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
