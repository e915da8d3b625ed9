//go:build e2e

package nodeport

import (
	"context"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// fixture: a NodePort Service (port allocated by the API) over the servers
// of the run's world of probe pods, a client beside them, and every node's
// InternalIP.
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
	w := world.New(t).Wait(t)
	f := &fixture{c: w.C, ns: w.NS, client: w.AnyClient(), nodeIPs: map[string]string{}}
	f.svc = world.CreateService(ctx, t, f.c, kube.Service(f.ns, "np-web", corev1.ServiceTypeNodePort, map[string]string{"app": "server"}, kube.ServicePort("http", 80, world.ServerPort)))
	nodes, err := f.c.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		verdict.Fatal(t, err)
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
