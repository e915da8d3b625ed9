//go:build e2e

package svc

import (
	"context"
	"testing"

	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// SVC-14: `kubectl expose deployment D --port=8081 --name=S --target-port=3000`
// creates the service; document 001 adds "it listens on port 80 and points
// to port 3000".
// MUST: the Service has the Deployment's selector, type ClusterIP, port 8081
// and targetPort 3000; the document's "port 80" is refuted by port 8081.
// A Service on port 80 would follow the document, but only a broken
// kubectl or API server makes one from --port=8081: that branch is failed,
// not confirmed, as is any other port.
func svc14() features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-14", &chk).
		Assess("KubectlExposeMakesPort8081ToTargetPort3000", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-svc14")
			labels := map[string]string{"app": "deployment-name"}
			// kubectl expose reads the Deployment's selector, not its pods: no need to wait for them.
			world.StartDeploy(ctx, t, c, kube.Deployment(ns, "deployment-name", 1, labels, world.Server([]int32{3000})))
			args := []string{"-n", ns, "expose", "deployment", "deployment-name", "--port=8081", "--name=service-name", "--target-port=3000"}
			out, err := harness.Kubectl(ctx, args...)
			chk.Evidence("kubectl %v: %s", args[2:], out)
			if err != nil {
				verdict.Fatalf(t, "kubectl expose: %v: %s", err, out)
			}
			svc, err := c.CoreV1().Services(ns).Get(ctx, "service-name", metav1.GetOptions{})
			if err != nil {
				verdict.Fatal(t, err)
			}
			p := svc.Spec.Ports[0]
			chk.Evidence("service-name: type=%s selector=%v port=%d targetPort=%s", svc.Spec.Type, svc.Spec.Selector, p.Port, p.TargetPort.String())
			shape := equality.Semantic.DeepEqual(svc.Spec.Selector, labels) && string(svc.Spec.Type) == "ClusterIP" && p.TargetPort.IntValue() == 3000
			if !shape {
				verdict.Errorf(t, "kubectl expose made selector %v type %s targetPort %s, want %v ClusterIP 3000", svc.Spec.Selector, svc.Spec.Type, p.TargetPort.String(), labels)
			}
			switch {
			case p.Port == 80:
				verdict.Errorf(t, "the service listens on port 80 as document 001 says, though --port=8081 was given: kubectl or the API server did not do what Kubernetes specifies")
			case p.Port != 8081:
				verdict.Errorf(t, "port = %d, want 8081 (the --port given)", p.Port)
			case shape:
				chk.Refute("the service listens on port %d (the --port given), not on port 80, and points to targetPort %s with the Deployment's selector %v", p.Port, p.TargetPort.String(), svc.Spec.Selector)
			}
			return ctx
		}).Feature()
}
