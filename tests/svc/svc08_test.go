//go:build e2e

package svc

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/claims"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/tests/internal/world"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// SVC-08: the ClusterIP works from every node (the proxy runs on each node).
// MUST: a client pod on every node, control plane included, reaches the service.
func svc08(w *world.World) features.Feature {
	var chk *claims.Check
	return world.Claim("SVC-08", &chk).
		Assess("ClientsOnEveryNodeReachTheClusterIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			svc := world.CreateService(ctx, t, w.C, kube.Service(w.NS, "svc08", "", map[string]string{"app": "server"}, kube.ServicePort("http", 80, world.ServerPort)))
			c, ns := world.OwnNamespace(ctx, t, "nc-svc08")
			nodes, err := c.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			url := fmt.Sprintf("http://%s/hostname", svc.Spec.ClusterIP)
			for i, n := range nodes.Items {
				// nodeName bypasses the scheduler, so tainted control planes take the pod too.
				client := world.StartClient(ctx, t, c, ns, fmt.Sprintf("client-%d", i), n.Name)
				r, err := world.WaitHTTP(ctx, client, url, time.Minute)
				world.Evidence(chk, client, url+" (from node "+n.Name+")", world.HTTPSummary(r))
				if err != nil {
					t.Error(err)
				}
			}
			return ctx
		}).Feature()
}
