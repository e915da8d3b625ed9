//go:build e2e

package nodeport

import (
	"context"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// fixture: two server pods behind a NodePort Service (port allocated by the
// API), a client pod, and every node's InternalIP.
type fixture struct {
	c       *kube.Client
	ns      string
	svc     *corev1.Service
	client  kube.Prober
	nodeIPs map[string]string // node name -> InternalIP
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	f := &fixture{nodeIPs: map[string]string{}}
	f.c, f.ns = world.OwnNamespace(ctx, t, "nc-np")
	labels := map[string]string{"app": "web"}
	d := kube.Deployment(f.ns, "web", 2, labels, kube.PodSpec(kube.ProbeContainer("server", harness.Current().ProbeImage, []int32{world.ServerPort})))
	if _, err := f.c.AppsV1().Deployments(f.ns).Create(ctx, d, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	f.svc = world.CreateService(ctx, t, f.c, kube.Service(f.ns, "web", corev1.ServiceTypeNodePort, labels, kube.ServicePort("http", 80, world.ServerPort)))
	f.client = world.StartClient(ctx, t, f.c, f.ns, "client", "")
	if _, err := f.c.WaitPodsReady(ctx, f.ns, "app=web", 2, 2*time.Minute); err != nil {
		t.Fatal(err)
	}
	nodes, err := f.c.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes.Items {
		for _, a := range n.Status.Addresses {
			if a.Type == corev1.NodeInternalIP {
				f.nodeIPs[n.Name] = a.Address
				break
			}
		}
	}
	return f
}
