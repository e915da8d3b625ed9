//go:build e2e

package pod

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/tests/internal/world"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
)

// harnessMadeCluster: the cluster CIDRs are known only for clusters the suite made.
func harnessMadeCluster() bool { return harness.Current().Kind }

// silentFor is how long a negative check in this area polls: every try in
// that time, one a second, must go unanswered.
const silentFor = 5 * time.Second

// pollSilent makes a request a second for silentFor from p to url; the
// result's error counts say what kind of failure each try saw.
func pollSilent(ctx context.Context, p kube.Prober, url string) (probe.HTTPResult, error) {
	return p.HTTP(ctx, url, int(silentFor/time.Second), "--timeout", "1s", "--interval", "1s")
}

// allClients are the world's clients on every node (control planes too:
// "anywhere in the cluster"), by node name.
func allClients(w *world.World) []kube.Prober {
	nodes := make([]string, 0, len(w.Clients))
	for n := range w.Clients {
		nodes = append(nodes, n)
	}
	sort.Strings(nodes)
	out := make([]kube.Prober, len(nodes))
	for i, n := range nodes {
		out[i] = w.Client(n)
	}
	return out
}

// nodeOf is the node of a world client.
func nodeOf(w *world.World, p kube.Prober) string {
	for n, m := range w.Clients {
		if m.Pod == p.Pod {
			return n
		}
	}
	return ""
}

// listCluster lists the cluster-scoped objects of an API the cluster may
// not serve. It returns nil and why when there are none to read: the API
// is absent, or the suite may not read it (then say so, never guess).
func listCluster(ctx context.Context, c *kube.Client, group, version, resource string) ([]map[string]any, string) {
	dyn, err := dynamic.NewForConfig(c.Config)
	if err != nil {
		return nil, err.Error()
	}
	gvr := schema.GroupVersionResource{Group: group, Version: version, Resource: resource}
	list, err := dyn.Resource(gvr).List(ctx, metav1.ListOptions{})
	switch {
	case apierrors.IsNotFound(err):
		return nil, "not served"
	case apierrors.IsForbidden(err):
		return nil, "forbidden to the suite"
	case err != nil:
		return nil, fmt.Sprintf("not readable: %v", err)
	}
	out := make([]map[string]any, len(list.Items))
	for i := range list.Items {
		out[i] = list.Items[i].Object
	}
	return out, ""
}
