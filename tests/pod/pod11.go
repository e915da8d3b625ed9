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
// MUST (env, destructive): a worker node restarted (`docker restart` of
// its kind container, after every other claim of the run and while no
// other disruptive claim is at work) comes back Ready, and its pods (a
// server pinned there in the claim's namespace, the world's pods there,
// the node's system pods) run again in new containers, as the API shows.
// Their IPs before and after are recorded. Across the restart, the
// Service over the pinned server answers a client on another node on its
// ClusterIP (unchanged) and on its DNS name, before and after, from the
// pod at its IP of after: failed otherwise.
// The document says IPs "can" change: a pod-network pod that came back
// with another IP confirms it. All coming back with their old IPs does
// not refute a "can" (this cluster's IPAM kept them this time), nor does
// it show it: that outcome is not applicable, with the IPs in the
// evidence. Runs only on a cluster the suite made; not applicable on any
// other, where restarting a node is not the suite's to do.
func pod11(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("POD-11", &chk).
		Assess("PodIPsAcrossAWorkerRestart", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			if !harness.Current().Kind {
				chk.NotApplicable(t, "destructive: the suite restarts a worker only on a kind cluster it made, and it did not make this one")
			}
			w.Wait(t)
			release, err := harness.BeginDisruption(ctx)
			defer release()
			if err != nil {
				verdict.Fatalf(t, "no worker restarted: %v", err)
			}
			worker, other, why := restartPair(ctx, t, w)
			if why != "" {
				chk.NotApplicable(t, why)
			}
			c, ns := world.OwnNamespace(ctx, t, "nc-pod11")
			labels := map[string]string{"app": "pod11"}
			if _, err := c.CreatePodReady(ctx, kube.Pod(ns, "pinned", labels, worker, world.Server([]int32{world.ServerPort})), 2*time.Minute); err != nil {
				verdict.Fatal(t, err)
			}
			client := world.StartClient(ctx, t, c, ns, "client", other)
			svc := world.CreateService(ctx, t, c, kube.Service(ns, "pod11", "", labels, kube.ServicePort("http", 80, world.ServerPort)))
			if err := world.WaitEndpoints(ctx, c, ns, svc.Name, 1); err != nil {
				verdict.Fatal(t, err)
			}
			serviceAnswers(ctx, t, chk, client, svc, "before the restart")
			before, err := nodePods(ctx, c, worker, ns, w.NS)
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
			pinned := back[ns+"/pinned"]
			if err := waitEndpointIP(ctx, c, ns, svc.Name, pinned.IP); err != nil {
				verdict.Fatal(t, err)
			}
			got, err := c.CoreV1().Services(ns).Get(ctx, svc.Name, metav1.GetOptions{})
			if err != nil {
				verdict.Fatal(t, err)
			}
			if got.Spec.ClusterIP != svc.Spec.ClusterIP {
				verdict.Fatalf(t, "the Service's ClusterIP changed across the restart: %s -> %s", svc.Spec.ClusterIP, got.Spec.ClusterIP)
			}
			serviceAnswers(ctx, t, chk, client, svc, "after the restart, served by pinned at "+pinned.IP)
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

// restartPair picks the worker to restart (the first schedulable node
// without a control-plane role) and a node for the client: another node,
// the control plane first (nodeName bypasses its taint), so the client
// stands away from the workers that the other disruptive claims use.
// why says why there is no such pair.
func restartPair(ctx context.Context, t *testing.T, w *world.World) (worker, other, why string) {
	t.Helper()
	nodes, err := w.C.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		verdict.Fatal(t, err)
	}
	var controlPlanes []string
	for _, n := range nodes.Items {
		_, cp := n.Labels["node-role.kubernetes.io/control-plane"]
		switch {
		case cp:
			controlPlanes = append(controlPlanes, n.Name)
		case worker == "" && slices.Contains(w.Nodes, n.Name):
			worker = n.Name
		}
	}
	if worker == "" {
		return "", "", "the cluster has no worker node: restarting a node would restart the control plane"
	}
	for _, n := range append(controlPlanes, w.Nodes...) {
		if n != worker {
			return worker, n, ""
		}
	}
	return "", "", "the cluster has one node: no client can stand on another node across its restart"
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
		ips, err := world.ReadyEndpointIPs(ctx, c, ns, svc)
		return kube.Observation{Done: err == nil && len(ips) == 1 && ips[0] == ip, Seen: fmt.Sprintf("ready endpoints %v", ips)}, err
	})
}
