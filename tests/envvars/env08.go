//go:build e2e

package envvars

import (
	"context"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// ENV-08: the API server's service is injected as KUBERNETES_SERVICE_HOST,
// _PORT and _PORT_HTTPS.
// MUST: all present; the host is the ClusterIP of default/kubernetes.
func env08(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("ENV-08", &chk).
		Assess("KubernetesServiceVariablesPointAtTheAPIServerService", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			env, err := environment(ctx, f.other)
			if err != nil {
				verdict.Fatal(t, err)
			}
			for _, k := range []string{"KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "KUBERNETES_SERVICE_PORT_HTTPS"} {
				v, ok := env[k]
				chk.Evidence("pod %s/%s: %s=%q", f.otherNS, f.other.Pod, k, v)
				if !ok {
					verdict.Errorf(t, "%s is missing", k)
				}
			}
			chk.Evidence("service default/kubernetes clusterIP=%s", f.kubernetesIP)
			if env["KUBERNETES_SERVICE_HOST"] != f.kubernetesIP {
				verdict.Errorf(t, "KUBERNETES_SERVICE_HOST = %q, want %s", env["KUBERNETES_SERVICE_HOST"], f.kubernetesIP)
			}
			return ctx
		}).Feature()
}
