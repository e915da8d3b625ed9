package upstream

// Versions and module downloads: helpers of the recipes, kept out of the
// recipe files so that editing a message does not rebuild e2e.test.

import (
	"context"
	"fmt"
	"github.com/netconform/netconform/pkg/buildstep"
	"regexp"
	"strconv"
	"strings"
)

// versionPattern accepts "1.36.3" or "v1.36.3".
var versionPattern = regexp.MustCompile(`^v?1\.(\d+)\.(\d+)$`)

// normalizeVersion turns "1.36.3" or "v1.36.3" into "v1.36.3".
func normalizeVersion(v string) (string, error) {
	v = strings.TrimSpace(v)
	if !versionPattern.MatchString(v) {
		return "", fmt.Errorf("Kubernetes version %q is not of the form 1.MINOR.PATCH (e.g. %s)", v, DefaultK8sVersion)
	}
	return "v" + strings.TrimPrefix(v, "v"), nil
}

// downloadModules fetches modules through the proxy. Unlike a plain
// `go mod download`, a module the proxy refuses is reported in its entry
// (Error) rather than failing the others: the caller decides what may be missing.
func (b *builder) downloadModules(ctx context.Context, mods ...string) ([]buildstep.Module, error) {
	out, err := b.goCmd(ctx, "", append([]string{"mod", "download", "-json"}, mods...)...).Output(ctx)
	infos, derr := buildstep.DecodeModules(out)
	if derr != nil {
		return nil, derr
	}
	if len(infos) == 0 && err != nil {
		return nil, err
	}
	return infos, nil
}

// checkServed fails with the list of buildable versions when the module
// proxy does not serve the requested one.
func (b *builder) checkServed(ctx context.Context, version string) error {
	out, err := b.goCmd(ctx, "", "list", "-m", "-versions", "k8s.io/kubernetes").Output(ctx)
	if err != nil {
		return fmt.Errorf("ask the Go module proxy which Kubernetes versions it serves: %w", err)
	}
	var ok []string
	for _, v := range strings.Fields(out)[1:] { // the first field is the module path
		if m := versionPattern.FindStringSubmatch(v); m != nil && atoi(m[1]) >= minimumMinor {
			ok = append(ok, v)
			if v == version {
				return nil
			}
		}
	}
	return fmt.Errorf("cannot build upstream e2e for Kubernetes %s: the Go module proxy (%s) does not serve k8s.io/kubernetes@%s (or it is older than 1.%d); it serves: %s (set K8S_VERSION)",
		version, buildstep.GoEnv("GOPROXY"), version, minimumMinor, strings.Join(ok, " "))
}

// minimumMinor: the tree must have a go.work (Kubernetes 1.30+), and the
// suite's node images start at 1.32.
const minimumMinor = 32

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }
