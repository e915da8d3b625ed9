//go:build e2e

package envvars

import (
	"context"
	"fmt"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// Document 000's values, those of a default kubeadm cluster.
const (
	docKubernetesIP   = "10.96.0.1"
	docKubernetesPort = "443"
)

// ENV-08: the API server's service is injected as
// KUBERNETES_SERVICE_HOST=10.96.0.1, KUBERNETES_SERVICE_PORT=443 and
// _PORT_HTTPS; `kubernetes` is 443/TCP (document 000).
// MUST: in pods of two namespaces, KUBERNETES_SERVICE_HOST is the ClusterIP
// of default/kubernetes, and KUBERNETES_SERVICE_PORT and
// KUBERNETES_SERVICE_PORT_HTTPS are its port: confirmed (443 and
// 10.96.0.1 on a default cluster; where this cluster differs from the
// document's numbers, the evidence says so and the values are judged
// against the API). Missing or different values: failed.
func env08(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("ENV-08", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			f.ready(t)
			return ctx
		}).
		Assess("KubernetesServiceVariablesPointAtTheAPIServerService", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			k := f.kubernetes
			var port string
			for _, p := range k.Spec.Ports {
				chk.Evidence("service default/kubernetes: clusterIP %s, port %s %d/%s", k.Spec.ClusterIP, p.Name, p.Port, p.Protocol)
				if p.Name == "https" {
					port = fmt.Sprint(p.Port)
				}
			}
			if port == "" {
				verdict.Fatalf(t, "service default/kubernetes has no port named https: %v", k.Spec.Ports)
			}
			if k.Spec.ClusterIP != docKubernetesIP || port != docKubernetesPort {
				chk.Evidence("this cluster differs from document 000's numbers (%s:%s): default/kubernetes is %s:%s; the variables are judged against the API", docKubernetesIP, docKubernetesPort, k.Spec.ClusterIP, port)
			}
			want := map[string]string{"KUBERNETES_SERVICE_HOST": k.Spec.ClusterIP, "KUBERNETES_SERVICE_PORT": port, "KUBERNETES_SERVICE_PORT_HTTPS": port}
			bad := 0
			for _, p := range []kube.Prober{f.late, f.other} {
				env, err := f.env(ctx, p)
				if err != nil {
					verdict.Fatal(t, err)
				}
				for _, name := range sortedKeys(want) {
					v, ok := env[name]
					chk.Evidence("pod %s/%s: %s=%q (want %q)", p.NS, p.Pod, name, v, want[name])
					if !ok || v != want[name] {
						verdict.Errorf(t, "pod %s/%s: %s = %q (present %t), want %q", p.NS, p.Pod, name, v, ok, want[name])
						bad++
					}
				}
			}
			if bad == 0 {
				chk.Confirm("pods in %s and %s have KUBERNETES_SERVICE_HOST=%s, KUBERNETES_SERVICE_PORT=%s and _PORT_HTTPS=%s, the ClusterIP and https port of default/kubernetes",
					f.ns, f.otherNS, k.Spec.ClusterIP, port, port)
			}
			return ctx
		}).Feature()
}
