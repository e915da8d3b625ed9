package kube

import (
	"testing"

	"gotest.tools/v3/assert"
	corev1 "k8s.io/api/core/v1"
)

func TestNodeRequirementGoesIntoEveryTerm(t *testing.T) {
	assert.Assert(t, !HasNodeRequirement(nil, KubeProxySwitchTerm))
	none := WithNodeRequirement(nil, KubeProxySwitchTerm)
	assert.Assert(t, HasNodeRequirement(none, KubeProxySwitchTerm))

	linux := corev1.NodeSelectorRequirement{Key: "kubernetes.io/os", Operator: corev1.NodeSelectorOpIn, Values: []string{"linux"}}
	arm := corev1.NodeSelectorRequirement{Key: "kubernetes.io/arch", Operator: corev1.NodeSelectorOpIn, Values: []string{"arm64"}}
	two := &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
		NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{linux}}, {MatchExpressions: []corev1.NodeSelectorRequirement{arm}}}}}}
	assert.Assert(t, !HasNodeRequirement(two, KubeProxySwitchTerm))
	both := WithNodeRequirement(two, KubeProxySwitchTerm)
	assert.Assert(t, HasNodeRequirement(both, KubeProxySwitchTerm))
	assert.Equal(t, len(two.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchExpressions), 1, "the input is not changed")
}

func TestReservedNodeIsKnownByItsLabel(t *testing.T) {
	n := corev1.Node{}
	assert.Assert(t, !Reserved(n))
	n.Labels = map[string]string{ReservedLabel: ReservedValue}
	assert.Assert(t, Reserved(n))
}
