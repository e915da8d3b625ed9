//go:build e2e

package nodeport

import (
	"context"
	"fmt"
	"sync"
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
// InternalIP. It is built once, by the first claim's set-up (a failure
// makes each claim "not run" with the reason), and waits for the Service
// through the API: its EndpointSlice lists every world server.
type fixture struct {
	w    *world.World
	once sync.Once
	err  error

	c       *kube.Client
	ns      string
	svc     *corev1.Service
	client  kube.Prober
	nodeIPs map[string]string // node name -> InternalIP
}

func newFixture(w *world.World) *fixture { return &fixture{w: w} }

// ready builds the fixture on first use; it fails t (a claim's set-up) if
// the world or the Service could not be made.
func (f *fixture) ready(t *testing.T) *fixture {
	t.Helper()
	f.w.Wait(t)
	f.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		f.err = f.build(ctx)
	})
	if f.err != nil {
		verdict.Fatalf(t, "NodePort fixture: %v", f.err)
	}
	return f
}

func (f *fixture) build(ctx context.Context) error {
	w := f.w
	f.c, f.ns, f.client, f.nodeIPs = w.C, w.NS, w.AnyClient(), map[string]string{}
	svc, err := f.c.CoreV1().Services(f.ns).Create(ctx, kube.Service(f.ns, "np-web", corev1.ServiceTypeNodePort,
		map[string]string{"app": "server"}, kube.ServicePort("http", 80, world.ServerPort)), metav1.CreateOptions{})
	if err != nil {
		return fmt.Errorf("create service %s/np-web: %w", f.ns, err)
	}
	f.svc = svc
	if err := world.WaitEndpoints(ctx, f.c, f.ns, svc.Name, len(w.Servers)); err != nil {
		return err
	}
	nodes, err := f.c.ClaimNodes(ctx)
	if err != nil {
		return fmt.Errorf("list nodes: %w", err)
	}
	for _, n := range nodes {
		for _, a := range n.Status.Addresses {
			if a.Type == corev1.NodeInternalIP {
				f.nodeIPs[n.Name] = a.Address
				break
			}
		}
	}
	if len(f.nodeIPs) == 0 {
		return fmt.Errorf("no node has an InternalIP")
	}
	return nil
}
