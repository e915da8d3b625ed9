//go:build e2e

package svc

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// SVC-08: the ClusterIP works from every node (the proxy runs on each node).
// MUST: a client pod on every node, control plane included, reaches the service.
func svc08(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-08", &chk).
		Assess("ClientsOnEveryNodeReachTheClusterIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			svc := world.CreateService(ctx, t, w.C, kube.Service(w.NS, "svc08", "", map[string]string{"app": "server"}, kube.ServicePort("http", 80, world.ServerPort)))
			nodes, err := w.C.ClaimNodes(ctx)
			if err != nil {
				verdict.Fatal(t, err)
			}
			url := fmt.Sprintf("http://%s/hostname", svc.Spec.ClusterIP)
			var (
				wg      sync.WaitGroup
				mu      sync.Mutex
				reached []string
			)
			for _, n := range nodes {
				if _, ok := w.Clients[n.Name]; !ok {
					verdict.Errorf(t, "the world has no client on node %s", n.Name)
					continue
				}
				client := w.Client(n.Name)
				wg.Add(1)
				go func() {
					defer wg.Done()
					r, err := world.WaitHTTP(ctx, client, url, world.ReachBound)
					world.Evidence(chk, client, url+" (from node "+n.Name+")", world.HTTPSummary(r))
					if err != nil {
						verdict.Error(t, err)
						return
					}
					mu.Lock()
					reached = append(reached, n.Name)
					mu.Unlock()
				}()
			}
			wg.Wait()
			if len(reached) == len(nodes) {
				slices.Sort(reached)
				chk.Confirm("clients on all %d nodes (%s) reached clusterIP %s", len(reached), strings.Join(reached, ", "), svc.Spec.ClusterIP)
			}
			return ctx
		}).Feature()
}
