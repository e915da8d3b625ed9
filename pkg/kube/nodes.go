package kube

import (
	"context"
	"slices"
	"sort"

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

// ClaimNodes lists, by name, every node a claim that spans nodes checks:
// all of them, the control plane included, but not the reserved node.
func (c *Client) ClaimNodes(ctx context.Context) ([]corev1.Node, error) {
	list, err := c.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	var out []corev1.Node
	for _, n := range list.Items {
		if !Reserved(n) {
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
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
