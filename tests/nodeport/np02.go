//go:build e2e

package nodeport

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// NP-02: a requested nodePort (30001, 32001 in the documents) is honoured.
// 30001 comes first: JOB-02 dry-runs document 004's Service with 32001.
// MUST: the allocated port equals the request, and a port outside the
// range (80) is rejected with the API's range error: confirmed; another
// allocation, or 80 accepted: failed. Ports another Service of this
// cluster holds are skipped, and the evidence says which was requested.
func np02() features.Feature {
	var chk *verdict.Check
	return verdict.Claim("NP-02", &chk).
		Assess("RequestedNodePortIsAllocatedOutOfRangeRejected", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-np02")
			requested := int32(0)
			var svc *corev1.Service
			for _, port := range []int32{30001, 32001, 31001 + int32(time.Now().UnixNano()%700)} {
				s := kube.Service(ns, "fixed", corev1.ServiceTypeNodePort, map[string]string{"app": "none"}, kube.ServicePort("http", 80, 8080))
				s.Spec.Ports[0].NodePort = port
				got, err := c.CoreV1().Services(ns).Create(ctx, s, metav1.CreateOptions{})
				if err != nil && strings.Contains(err.Error(), "already allocated") {
					chk.Evidence("nodePort %d is taken by another service on this cluster; trying the next", port)
					continue
				}
				if err != nil {
					verdict.Fatal(t, err)
				}
				requested, svc = port, got
				break
			}
			if svc == nil {
				verdict.Fatal(t, "every requested nodePort was already allocated")
			}
			// Free the port now: a later run may request it again.
			t.Cleanup(func() { c.CoreV1().Services(ns).Delete(context.Background(), "fixed", metav1.DeleteOptions{}) })
			chk.Evidence("requested nodePort %d, allocated %d", requested, svc.Spec.Ports[0].NodePort)
			if svc.Spec.Ports[0].NodePort != requested {
				verdict.Errorf(t, "allocated nodePort %d, requested %d", svc.Spec.Ports[0].NodePort, requested)
			}
			bad := kube.Service(ns, "out-of-range", corev1.ServiceTypeNodePort, map[string]string{"app": "none"}, kube.ServicePort("http", 80, 8080))
			bad.Spec.Ports[0].NodePort = 80
			// A real create: a dry run skips the port allocator, which owns the range check.
			_, err := c.CoreV1().Services(ns).Create(ctx, bad, metav1.CreateOptions{})
			chk.Evidence("request nodePort 80: %v", err)
			if err == nil || !strings.Contains(err.Error(), "range") {
				verdict.Errorf(t, "nodePort 80 was not rejected as out of range: %v", err)
			}
			if !t.Failed() {
				chk.Confirm("requested nodePort %d was allocated as requested; nodePort 80 was rejected: %v", requested, err)
			}
			return ctx
		}).Feature()
}
