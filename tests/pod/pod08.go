//go:build e2e

package pod

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/netconform/netconform/pkg/detect"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// POD-08: with no NetworkPolicy, any pod can reach any other, in any namespace.
// MUST: with no NetworkPolicy in either namespace, the client of one
// namespace reaches every server pod of the other by IP (each within
// world.ReachBound). Cluster-wide policies (AdminNetworkPolicy,
// BaselineAdminNetworkPolicy, ClusterNetworkPolicy, Cilium's and
// Calico's and Antrea's cluster-wide policies) are detected and listed:
// a block beside one that can deny, or beside a policy API the suite may
// not read, is not applicable (an administrator's policy, not the "no
// policy" case the document describes); a block without any is failed;
// every server answering is confirmed.
func pod08(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("POD-08", &chk).
		Assess("CrossNamespacePodTrafficFlowsWithoutPolicy", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			for _, ns := range []string{w.NS, w.OtherNS} {
				pols, err := w.C.NetworkingV1().NetworkPolicies(ns).List(ctx, metav1.ListOptions{})
				if err != nil {
					verdict.Fatal(t, err)
				}
				chk.Evidence("namespace %s: %d NetworkPolicies", ns, len(pols.Items))
				if len(pols.Items) > 0 {
					verdict.Fatalf(t, "namespace %s of the shared world has NetworkPolicies (a test defect: no claim may add them there)", ns)
				}
			}
			all, blocking, unread := clusterPolicies(ctx, chk, w.C)
			var blocked []string
			var pairs []world.Pair
			for _, s := range w.Servers {
				pairs = append(pairs, world.Pair{Client: w.Remote, URL: fmt.Sprintf("http://%s:%d/hostname", s.IP, world.ServerPort)})
			}
			reached := world.WaitEveryPair(ctx, pairs, world.ReachBound) // at once: one bound, however many are cut
			for i, s := range w.Servers {
				url, r, err := pairs[i].URL, reached[i].R, reached[i].Err
				world.Evidence(chk, w.Remote, url+" ("+w.NS+"/"+s.Pod+" on "+s.Node+")", world.HTTPSummary(r))
				if err != nil || r.BackendCounts[s.Pod] != 1 {
					blocked = append(blocked, fmt.Sprintf("%s/%s (%s)", w.NS, s.Pod, world.HTTPSummary(r)))
				}
			}
			switch {
			case len(blocked) > 0 && len(blocking) > 0:
				chk.NotApplicable(t, fmt.Sprintf("%s did not reach %s; cluster-wide policies that can deny could explain it: %s",
					w.Remote, strings.Join(blocked, ", "), names(blocking)))
			case len(blocked) > 0 && len(unread) > 0:
				chk.NotApplicable(t, fmt.Sprintf("%s did not reach %s, and the suite may not read every cluster-wide policy API, so a policy could explain it: %s",
					w.Remote, strings.Join(blocked, ", "), strings.Join(unread, "; ")))
			case len(blocked) > 0:
				verdict.Errorf(t, "%s could not reach %s across namespaces, with no NetworkPolicy and no cluster-wide policy that can deny", w.Remote, strings.Join(blocked, ", "))
			default:
				chk.Confirm("%s reached all %d server pods of namespace %s by IP, with no NetworkPolicy in either namespace (%d cluster-wide policies, %d of them able to deny)",
					w.Remote, len(w.Servers), w.NS, len(all), len(blocking))
			}
			return ctx
		}).Feature()
}

// clusterPolicies lists the cluster-wide policies of every known API and
// records what was found, and which APIs could not be read.
func clusterPolicies(ctx context.Context, chk *verdict.Check, c *kube.Client) (all, blocking []detect.ClusterPolicy, unread []string) {
	objs := map[detect.PolicyKind][]map[string]any{}
	var absent []string
	for _, k := range detect.ClusterPolicyKinds {
		items, why := listCluster(ctx, c, k.Group, k.Version, k.Resource)
		switch why {
		case "":
			objs[k] = items
		case "not served":
			absent = append(absent, k.Kind+" ("+k.Group+")")
		default:
			unread = append(unread, k.String()+": "+why)
		}
	}
	all, blocking = detect.ClusterPoliciesThatCanBlock(objs)
	chk.Evidence("cluster-wide policy APIs not served: %s", strings.Join(absent, ", "))
	if len(unread) > 0 {
		chk.Evidence("cluster-wide policy APIs not readable: %s", strings.Join(unread, "; "))
	}
	for _, p := range all {
		chk.Evidence("cluster-wide policy %s", p)
	}
	return all, blocking, unread
}

func names(ps []detect.ClusterPolicy) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return strings.Join(out, "; ")
}
