package kube

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// A node the suite reserves for its disruptive claims carries this label
// and a NoSchedule taint of the same key and value: no claim's pods land on
// it, and claims that span nodes leave it out, so a disruptive claim can
// restart it, or stop kube-proxy on it, while the other claims run.
const (
	ReservedLabel = "netconform.io/reserved"
	ReservedValue = "disruption"
)

// Reserved reports whether n is the suite's node for disruptive claims.
func Reserved(n corev1.Node) bool { return n.Labels[ReservedLabel] == ReservedValue }

// ReservedToleration lets a pod the suite places on the reserved node stay
// there whatever the scheduler would say.
var ReservedToleration = corev1.Toleration{Key: ReservedLabel, Operator: corev1.TolerationOpEqual, Value: ReservedValue, Effect: corev1.TaintEffectNoSchedule}

// MaxClaimNodes caps how many nodes ClaimNodes returns, so that what a run
// costs (the world has a client on every claim node) does not grow with
// the cluster; the harness sets it from -max-nodes (NETCONFORM_MAX_NODES).
var MaxClaimNodes = DefaultMaxClaimNodes

// DefaultMaxClaimNodes is MaxClaimNodes unless the user says otherwise.
const DefaultMaxClaimNodes = 8

// brokenAfter is how long a node must have been NotReady to be left out
// of a run: one that blinked is waited for, one that is down is not.
const brokenAfter = time.Minute

// OutOfRun says why claims leave n out ("" when they use it): not Linux
// (the probe image is), cordoned (someone is draining it), NotReady for
// over a minute (down, not blinking), or tainted NoExecute by something
// other than a node condition (the suite's pods would be evicted).
func OutOfRun(n corev1.Node, now time.Time) string {
	if osName, ok := n.Labels[corev1.LabelOSStable]; ok && osName != "linux" {
		return "runs " + osName + ", not Linux"
	}
	if n.Spec.Unschedulable {
		return "cordoned"
	}
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady && c.Status != corev1.ConditionTrue && now.Sub(c.LastTransitionTime.Time) > brokenAfter {
			return fmt.Sprintf("NotReady for %s (%s)", now.Sub(c.LastTransitionTime.Time).Round(time.Second), c.Reason)
		}
	}
	for _, t := range n.Spec.Taints {
		if t.Effect == corev1.TaintEffectNoExecute && !conditionTaint(t) {
			return "tainted " + t.ToString()
		}
	}
	return ""
}

// conditionTaint reports whether t is one the node lifecycle controller or
// the cloud provider sets for a passing condition (not-ready, pressure,
// uninitialized), not one a person set to keep workloads off.
func conditionTaint(t corev1.Taint) bool {
	return strings.HasPrefix(t.Key, "node.kubernetes.io/") || strings.HasPrefix(t.Key, "node.cloudprovider.kubernetes.io/")
}

// ClaimNodes lists, by name, every node a claim that spans nodes checks:
// all of them, the control plane included, but not the reserved node nor
// one OutOfRun, and at most MaxClaimNodes (the first by name: a sample
// that is the same in every claim of a run).
func (c *Client) ClaimNodes(ctx context.Context) ([]corev1.Node, error) {
	list, err := c.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	use, _ := ClaimNodesOf(list.Items, time.Now())
	return use, nil
}

// ClaimNodesOf splits nodes into those claims use (ClaimNodes) and the
// others' names with why they are left out; reserved nodes are neither.
func ClaimNodesOf(nodes []corev1.Node, now time.Time) (use []corev1.Node, left []string) {
	nodes = slices.Clone(nodes)
	sort.Slice(nodes, func(i, j int) bool { return nodes[i].Name < nodes[j].Name })
	for _, n := range nodes {
		switch why := OutOfRun(n, now); {
		case Reserved(n):
		case why != "":
			left = append(left, n.Name+" ("+why+")")
		case len(use) >= MaxClaimNodes:
			left = append(left, fmt.Sprintf("%s (beyond the %d nodes a run samples: -max-nodes)", n.Name, MaxClaimNodes))
		default:
			use = append(use, n)
		}
	}
	return use, left
}

// ReservedNodes are the names of the nodes reserved for disruptive claims,
// sorted; none when the cluster has none.
func (c *Client) ReservedNodes(ctx context.Context) ([]string, error) {
	list, err := c.CoreV1().Nodes().List(ctx, metav1.ListOptions{LabelSelector: ReservedLabel + "=" + ReservedValue})
	if err != nil {
		return nil, err
	}
	var names []string
	for _, n := range list.Items {
		names = append(names, n.Name)
	}
	sort.Strings(names)
	return names, nil
}

// On clusters the suite makes, kube-proxy's DaemonSet runs only on nodes
// without this label at KubeProxyOff, so a claim (or a self-test fault)
// stops kube-proxy on one node by labelling it, and the DaemonSet
// controller removes just that pod: editing the DaemonSet's template would
// restart kube-proxy on every node under the claims that are running.
const (
	KubeProxySwitch = "netconform.io/kube-proxy"
	KubeProxyOff    = "off"
)

// KubeProxySwitchTerm is the node selector requirement that makes the
// switch work.
var KubeProxySwitchTerm = corev1.NodeSelectorRequirement{Key: KubeProxySwitch, Operator: corev1.NodeSelectorOpNotIn, Values: []string{KubeProxyOff}}

// WithNodeRequirement is affinity a with r required in every node selector
// term (terms are ORed, so each must carry it), or in a new term when there
// is none.
func WithNodeRequirement(a *corev1.Affinity, r corev1.NodeSelectorRequirement) *corev1.Affinity {
	out := a.DeepCopy()
	if out == nil {
		out = &corev1.Affinity{}
	}
	if out.NodeAffinity == nil {
		out.NodeAffinity = &corev1.NodeAffinity{}
	}
	req := out.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution
	if req == nil || len(req.NodeSelectorTerms) == 0 {
		out.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution = &corev1.NodeSelector{
			NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{r}}}}
		return out
	}
	for i := range req.NodeSelectorTerms {
		req.NodeSelectorTerms[i].MatchExpressions = append(req.NodeSelectorTerms[i].MatchExpressions, r)
	}
	return out
}

// HasNodeRequirement reports whether every node selector term of a
// requires r.
func HasNodeRequirement(a *corev1.Affinity, r corev1.NodeSelectorRequirement) bool {
	if a == nil || a.NodeAffinity == nil || a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		return false
	}
	terms := a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms
	for _, t := range terms {
		found := false
		for _, e := range t.MatchExpressions {
			found = found || (e.Key == r.Key && e.Operator == r.Operator && slices.Equal(e.Values, r.Values))
		}
		if !found {
			return false
		}
	}
	return len(terms) > 0
}

// NodeReady reports whether node n's Ready condition is True.
func NodeReady(n *corev1.Node) bool {
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}
