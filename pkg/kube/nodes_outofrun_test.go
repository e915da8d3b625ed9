package kube

import (
	"strings"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// node is a Ready Linux node unless edit changes it.
func node(name string, edit func(*corev1.Node)) corev1.Node {
	n := corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{corev1.LabelOSStable: "linux"}},
		Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue}}}}
	if edit != nil {
		edit(&n)
	}
	return n
}

func notReadySince(ago time.Duration, now time.Time) func(*corev1.Node) {
	return func(n *corev1.Node) {
		n.Status.Conditions = []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionUnknown, Reason: "NodeStatusUnknown",
			LastTransitionTime: metav1.NewTime(now.Add(-ago))}}
	}
}

func TestOutOfRunLeavesOutDownCordonedEvictingAndNonLinuxNodes(t *testing.T) {
	now := time.Now()
	for _, c := range []struct {
		node corev1.Node
		why  string // "" when claims use it
	}{
		{node("ready", nil), ""},
		{node("blinked", notReadySince(10*time.Second, now)), ""}, // waited for, not left out
		{node("down", notReadySince(5*time.Minute, now)), "NotReady for 5m0s"},
		{node("cordoned", func(n *corev1.Node) { n.Spec.Unschedulable = true }), "cordoned"},
		{node("windows", func(n *corev1.Node) { n.Labels[corev1.LabelOSStable] = "windows" }), "runs windows"},
		{node("dedicated", func(n *corev1.Node) {
			n.Spec.Taints = []corev1.Taint{{Key: "dedicated", Value: "db", Effect: corev1.TaintEffectNoExecute}}
		}), "tainted dedicated=db:NoExecute"},
		{node("condition-tainted", func(n *corev1.Node) { // the node controller's own taint: a blink
			n.Spec.Taints = []corev1.Taint{{Key: "node.kubernetes.io/unreachable", Effect: corev1.TaintEffectNoExecute}}
		}), ""},
		{node("control-plane", func(n *corev1.Node) { // nodeName bypasses NoSchedule
			n.Spec.Taints = []corev1.Taint{{Key: "node-role.kubernetes.io/control-plane", Effect: corev1.TaintEffectNoSchedule}}
		}), ""},
	} {
		why := OutOfRun(c.node, now)
		if c.why == "" {
			assert.Equal(t, why, "", c.node.Name)
		} else {
			assert.Assert(t, strings.HasPrefix(why, c.why), "%s: %q", c.node.Name, why)
		}
	}
}

func TestClaimNodesAreASampleOfTheUsableNodesSameEveryTime(t *testing.T) {
	defer func(n int) { MaxClaimNodes = n }(MaxClaimNodes)
	MaxClaimNodes = 2
	now := time.Now()
	reserved := node("a-reserved", func(n *corev1.Node) { n.Labels[ReservedLabel] = ReservedValue })
	nodes := []corev1.Node{node("d", nil), node("b-down", notReadySince(time.Hour, now)), reserved, node("c", nil), node("e", nil)}
	use, left := ClaimNodesOf(nodes, now)
	var names []string
	for _, n := range use {
		names = append(names, n.Name)
	}
	assert.DeepEqual(t, names, []string{"c", "d"})
	assert.Equal(t, len(left), 2, left) // b-down and e; the reserved node is neither
	assert.Assert(t, strings.HasPrefix(left[0], "b-down (NotReady"), left[0])
	assert.Assert(t, strings.Contains(left[1], "e (beyond the 2 nodes"), left[1])
	assert.Equal(t, nodes[0].Name, "d", "the caller's slice is not reordered")
}
