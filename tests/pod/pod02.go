//go:build e2e

package pod

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// duplicateBound is how long a duplicate IP may last in the API before it
// counts: a pod listed Running whose sandbox the kubelet has just torn
// down still shows its old IP until its status is written.
const duplicateBound = 30 * time.Second

// POD-02: pod IPs are unique cluster-wide.
// MUST: among all running pods of the pod network (not hostNetwork, not
// terminating: a terminating pod's status still shows the IP it is
// giving back), no two hold the same IP, within duplicateBound; and the
// world's pods, on every node, are among those listed (so the listing saw
// more than one node's pods). The document and Kubernetes agree:
// confirmed, or failed.
func pod02(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("POD-02", &chk).
		Assess("NoTwoPodsShareAnIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			want := map[string]bool{w.OtherNS + "/" + w.RemoteMember.Pod: true}
			for _, s := range w.Servers {
				want[w.NS+"/"+s.Pod] = true
			}
			for _, c := range w.Clients {
				want[w.NS+"/"+c.Pod] = true
			}
			var last ipCensus
			err := kube.WaitFor(ctx, "no two running pods sharing an IP", duplicateBound, func(ctx context.Context) (kube.Observation, error) {
				var err error
				last, err = takeIPCensus(ctx, w, want)
				return kube.Observation{Done: err == nil && len(last.dups) == 0, Seen: last.String()}, err
			})
			chk.Evidence("%s", last)
			if err != nil {
				verdict.Fatalf(t, "pods share IPs: %v", err)
			}
			if last.worldSeen < len(want) {
				verdict.Fatalf(t, "the listing held %d of the world's %d pods, so it did not see every node's pods", last.worldSeen, len(want))
			}
			chk.Confirm("%d running pod-network pods on %d nodes hold %d distinct IPs, no IP twice (the world's %d pods among them)",
				last.pods, last.nodes, last.ips, last.worldSeen)
			return ctx
		}).Feature()
}

// ipCensus is one listing of the cluster's pod IPs.
type ipCensus struct {
	pods, nodes, ips, worldSeen, terminating int
	dups                                     []string // "ip: a, b"
}

func (c ipCensus) String() string {
	s := fmt.Sprintf("%d running pod-network pods (%d terminating ones left out) on %d nodes hold %d distinct IPs; the world's pods seen: %d",
		c.pods, c.terminating, c.nodes, c.ips, c.worldSeen)
	if len(c.dups) > 0 {
		s += "; shared: " + strings.Join(c.dups, "; ")
	}
	return s
}

func takeIPCensus(ctx context.Context, w *world.World, want map[string]bool) (ipCensus, error) {
	var c ipCensus
	pods, err := w.C.CoreV1().Pods("").List(ctx, metav1.ListOptions{FieldSelector: "status.phase=Running"})
	if err != nil {
		return c, err
	}
	owners := map[string][]string{}
	nodes := map[string]bool{}
	for _, p := range pods.Items {
		if p.Spec.HostNetwork || len(p.Status.PodIPs) == 0 {
			continue
		}
		if p.DeletionTimestamp != nil {
			c.terminating++
			continue
		}
		id := p.Namespace + "/" + p.Name
		c.pods++
		nodes[p.Spec.NodeName] = true
		if want[id] {
			c.worldSeen++
		}
		for _, ip := range p.Status.PodIPs {
			owners[ip.IP] = append(owners[ip.IP], id)
		}
	}
	c.nodes, c.ips = len(nodes), len(owners)
	for ip, ids := range owners {
		if len(ids) > 1 {
			c.dups = append(c.dups, ip+": "+strings.Join(ids, ", "))
		}
	}
	sort.Strings(c.dups)
	return c, nil
}
