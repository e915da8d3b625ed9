//go:build e2e

package pod

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// POD-10: a pod IP can be used from a terminal on any machine of the
// cluster ("ssh into one of the VMs ... curl http://10.46.0.30").
// MUST (env): from each node's own network namespace (a hostNetwork probe
// pod pinned to every Linux node, control planes included), HTTP to the
// pod IP of every world server, on the same node and on every other
// node, is answered by that server within world.ReachBound. Kubernetes
// requires it on Linux (host-network pods reach all pods; agents on a
// node reach its pods), so the outcomes are confirmed or failed; Windows
// nodes, where the rule does not hold for host-network pods, are left out
// and named, and a cluster of only Windows nodes is not applicable.
func pod10(w *world.World) features.Feature {
	var (
		chk    *verdict.Check
		hosts  []kube.Prober
		hostOn = map[string]string{} // host pod -> node
	)
	return verdict.Claim("POD-10", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			c, ns := world.OwnNamespace(ctx, t, "nc-pod10")
			// hostNetwork needs the privileged Pod Security level; a cluster
			// that enforces a stricter default refuses the pods below.
			patch := []byte(`{"metadata":{"labels":{"pod-security.kubernetes.io/enforce":"privileged"}}}`)
			if _, err := c.CoreV1().Namespaces().Patch(ctx, ns, types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
				verdict.Fatalf(t, "label namespace %s privileged for hostNetwork pods: %v", ns, err)
			}
			nodes, err := c.ClaimNodes(ctx)
			if err != nil {
				verdict.Fatal(t, err)
			}
			var pods []*corev1.Pod
			for i, n := range nodes {
				if n.Labels[corev1.LabelOSStable] == "windows" {
					chk.Evidence("node %s runs Windows, where host-network pods need not reach pods: left out", n.Name)
					continue
				}
				spec := kube.PodSpec(kube.IdleContainer("host", w.Image))
				spec.HostNetwork = true
				pods = append(pods, kube.Pod(ns, fmt.Sprintf("host-%d", i), map[string]string{"app": "host"}, n.Name, spec))
			}
			ready, err := world.CreatePodsReady(ctx, c, pods, 2*time.Minute)
			if err != nil {
				verdict.Fatal(t, err)
			}
			for _, p := range ready {
				hosts = append(hosts, kube.Prober{C: c, NS: ns, Pod: p.Name, Container: "host", IP: p.Status.PodIP})
				hostOn[p.Name] = p.Spec.NodeName
			}
			return ctx
		}).
		Assess("EveryNodeReachesEveryPodIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			if len(hosts) == 0 {
				chk.NotApplicable(t, "every node runs Windows, where host-network pods need not reach pods")
			}
			same, cross := 0, 0
			for _, h := range hosts {
				node := hostOn[h.Pod]
				for _, s := range w.Servers {
					url := fmt.Sprintf("http://%s:%d/hostname", s.IP, world.ServerPort)
					path := "cross-node"
					if s.Node == node {
						path = "same-node"
					}
					r, err := world.WaitHTTP(ctx, h, url, world.ReachBound)
					world.Evidence(chk, hostName{h, node}, url+" ("+s.Pod+" on "+s.Node+", "+path+")", world.HTTPSummary(r))
					switch {
					case err != nil:
						verdict.Errorf(t, "node %s's network namespace could not reach %s on %s (%s): %v", node, s.Pod, s.Node, path, err)
					case r.BackendCounts[s.Pod] != 1:
						verdict.Errorf(t, "node %s reached %s but %s did not answer there: %s", node, url, s.Pod, world.HTTPSummary(r))
					case path == "same-node":
						same++
					default:
						cross++
					}
				}
			}
			if !t.Failed() {
				chk.Confirm("from the network namespace of each of %d nodes, every server's pod IP answered: %d same-node and %d cross-node pairs", len(hosts), same, cross)
			}
			return ctx
		}).Feature()
}

// hostName names a hostNetwork prober by its node in evidence lines.
type hostName struct {
	p    kube.Prober
	node string
}

func (h hostName) String() string {
	return fmt.Sprintf("node %s's network namespace (%s/%s, %s)", h.node, h.p.NS, h.p.Pod, h.p.IP)
}
