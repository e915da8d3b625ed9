//go:build e2e

package pod

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// POD-11: "In case the cluster got restarted, the Pod IPs can change"
// (document 000).
// MUST (env, destructive): a node reserved for disruptive claims (a
// worker no other claim's pods or pairs use, so the others run meanwhile;
// held by this claim alone) is restarted (`docker restart` of its
// kind container), comes back Ready, and its pods (a server pinned there in
// the claim's namespace, the node's system pods) run again in new
// containers, as the API shows. Their IPs before and after are recorded.
// Across the restart, the Service over the pinned server answers a client
// on another node on its ClusterIP (unchanged) and on its DNS name, before
// and after, from the pod at its IP of after: failed otherwise.
// The document says IPs "can" change: a pod-network pod that came back
// with another IP confirms it. All coming back with their old IPs does
// not refute a "can" (this cluster's IPAM kept them this time), nor does
// it show it: that outcome is not applicable, with the IPs in the
// evidence. Runs only on a cluster the suite made, with its reserved node;
// not applicable on any other, where restarting a node is not the suite's
// to do.
func pod11(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("POD-11", &chk).
		Assess("PodIPsAcrossAWorkerRestart", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			if !harness.Current().Kind {
				chk.NotApplicable(t, "destructive: the suite restarts a worker only on a kind cluster it made, and it did not make this one")
			}
			// No world.Wait: the world has no pods on the reserved node, and
			// this claim, the run's longest, starts at once.
			worker, release, err := harness.BeginDisruption(ctx, w.C)
			defer release()
			switch {
			case err != nil:
				verdict.Fatalf(t, "no node restarted: %v", err)
			case worker == "":
				chk.NotApplicable(t, harness.NoReservedNode)
			}
			other := clientNode(ctx, t, w)
			c, ns := world.OwnNamespace(ctx, t, "nc-pod11")
			labels := map[string]string{"app": "pod11"}
			pinned := kube.Pod(ns, "pinned", labels, worker, world.Server([]int32{world.ServerPort}))
			pinned.Spec.Tolerations = append(pinned.Spec.Tolerations, kube.ReservedToleration)
			if _, err := c.CreatePodReady(ctx, pinned, 2*time.Minute); err != nil {
				verdict.Fatal(t, err)
			}
			client := world.StartClient(ctx, t, c, ns, "client", other)
			svc := world.CreateService(ctx, t, c, kube.Service(ns, "pod11", "", labels, kube.ServicePort("http", 80, world.ServerPort)))
			if err := world.WaitEndpoints(ctx, c, ns, svc.Name, 1); err != nil {
				verdict.Fatal(t, err)
			}
			serviceAnswers(ctx, t, chk, client, svc, "before the restart")
			if t.Failed() {
				return ctx // the Service does not work before the restart: nothing to judge across it
			}
			before, err := nodePods(ctx, c, worker, ns)
			if err != nil {
				verdict.Fatal(t, err)
			}

			was, is, err := dockerRestart(ctx, worker)
			if err != nil {
				verdict.Fatal(t, err)
			}
			chk.Evidence("docker restart %s: node container started %s, again %s", worker, was, is)
			back, err := waitBack(ctx, c, worker, before)
			if err != nil {
				verdict.Fatal(t, err)
			}
			var changed, kept []string
			for _, old := range before {
				now, ok := back[old.id()]
				if !ok {
					chk.Evidence("pod %s: replaced by its controller", old.id())
					continue
				}
				chk.Evidence("pod %s: IP %s -> %s (hostNetwork %t), containers %s -> %s", old.id(), old.IP, now.IP, old.HostNet, shortIDs(old.Containers), shortIDs(now.Containers))
				switch {
				case old.HostNet: // the node's IP: not a pod IP
				case now.IP != old.IP:
					changed = append(changed, fmt.Sprintf("%s %s -> %s", old.id(), old.IP, now.IP))
				default:
					kept = append(kept, fmt.Sprintf("%s %s", old.id(), old.IP))
				}
			}
			after := back[ns+"/pinned"]
			if err := waitEndpointIP(ctx, c, ns, svc.Name, after.IP); err != nil {
				verdict.Fatal(t, err)
			}
			got, err := c.CoreV1().Services(ns).Get(ctx, svc.Name, metav1.GetOptions{})
			if err != nil {
				verdict.Fatal(t, err)
			}
			if got.Spec.ClusterIP != svc.Spec.ClusterIP {
				verdict.Fatalf(t, "the Service's ClusterIP changed across the restart: %s -> %s", svc.Spec.ClusterIP, got.Spec.ClusterIP)
			}
			serviceAnswers(ctx, t, chk, client, svc, "after the restart, served by pinned at "+after.IP)
			if t.Failed() {
				return ctx
			}
			if len(changed) > 0 {
				chk.Confirm("after node %s restarted, %d of %d pod-network pods came back in new containers with new IPs (%s); ClusterIP %s and name %s answered %s before and after",
					worker, len(changed), len(changed)+len(kept), strings.Join(changed, ", "), svc.Spec.ClusterIP, svc.Name, client)
			} else {
				chk.NotApplicable(t, fmt.Sprintf("after node %s restarted, every pod-network pod came back in new containers with its old IP (%s): this cluster's IPAM kept them, which \"can change\" allows and does not show",
					worker, strings.Join(kept, ", ")))
			}
			return ctx
		}).Feature()
}

// clientNode is where the client stands across the restart: the last
// claim node by name (never the reserved node), the one a one-worker fault
// changes, so that the pair of nodes the claim tests is the same in every
// run and the self-test's cross-node fault reaches it.
func clientNode(ctx context.Context, t *testing.T, w *world.World) string {
	t.Helper()
	nodes, err := w.C.ClaimNodes(ctx)
	if err != nil {
		verdict.Fatal(t, err)
	}
	if len(nodes) == 0 {
		verdict.Fatalf(t, "no node to stand a client on across the restart")
	}
	return nodes[len(nodes)-1].Name
}

// serviceAnswers checks, from client, that svc's DNS name resolves to its
// ClusterIP and that both answer from the pinned pod (each within
// world.ReachBound: DNS and the proxy may be catching up after a restart).
func serviceAnswers(ctx context.Context, t *testing.T, chk *verdict.Check, client kube.Prober, svc *corev1.Service, when string) {
	t.Helper()
	var answers []string
	err := kube.WaitFor(ctx, svc.Name+" resolving to "+svc.Spec.ClusterIP, world.ReachBound, func(ctx context.Context) (kube.Observation, error) {
		r, err := client.DNS(ctx, svc.Name, "A")
		answers = r.Answers
		return kube.Observation{Done: err == nil && slices.Contains(r.Answers, svc.Spec.ClusterIP), Seen: fmt.Sprintf("answers %v rcode %s %s", r.Answers, r.RCode, r.Error)}, err
	})
	world.Evidence(chk, client, "DNS "+svc.Name+" A ("+when+")", fmt.Sprint(answers))
	if err != nil {
		verdict.Errorf(t, "%s: the Service's name does not resolve to its ClusterIP: %v", when, err)
	}
	for _, url := range []string{"http://" + svc.Spec.ClusterIP + "/hostname", "http://" + svc.Name + "/hostname"} {
		r, err := world.WaitHTTP(ctx, client, url, world.ReachBound)
		world.Evidence(chk, client, url+" ("+when+")", world.HTTPSummary(r))
		switch {
		case err != nil:
			verdict.Errorf(t, "%s: %s does not answer: %v", when, url, err)
		case r.BackendCounts["pinned"] != 1:
			verdict.Errorf(t, "%s: %s answered from %v, not the pinned pod", when, url, r.BackendCounts)
		}
	}
}

// waitEndpointIP waits until the Service's only ready endpoint is ip.
func waitEndpointIP(ctx context.Context, c *kube.Client, ns, svc, ip string) error {
	return kube.WaitFor(ctx, fmt.Sprintf("%s/%s's endpoint at %s", ns, svc, ip), world.ReachBound, func(ctx context.Context) (kube.Observation, error) {
		ips, err := kube.ReadyEndpointIPs(ctx, c, ns, svc)
		return kube.Observation{Done: err == nil && len(ips) == 1 && ips[0] == ip, Seen: fmt.Sprintf("ready endpoints %v", ips)}, err
	})
}
