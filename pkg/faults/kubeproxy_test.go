package faults

import (
	"context"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"gotest.tools/v3/assert"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

// The fault's term comes out exactly as kube.WithNodeRequirement put it
// in: from no affinity, and beside the suite's own switch.
func TestWithoutNodeRequirementUndoesWith(t *testing.T) {
	for _, a := range []*corev1.Affinity{
		nil,
		kube.WithNodeRequirement(nil, kube.KubeProxySwitchTerm),
		{PodAntiAffinity: &corev1.PodAntiAffinity{}},
	} {
		with := kube.WithNodeRequirement(a, selftestProxyTerm)
		assert.Assert(t, kube.HasNodeRequirement(with, selftestProxyTerm))
		assert.DeepEqual(t, withoutNodeRequirement(with, selftestProxyTerm), a)
		assert.DeepEqual(t, withoutNodeRequirement(a, selftestProxyTerm), a) // nothing to take out
	}
}

// Not the suite's switch, which every run resets at its start.
func TestKubeProxyRemovedUsesALabelOfItsOwn(t *testing.T) {
	assert.Assert(t, SelftestLabel != kube.KubeProxySwitch)
	ctx := context.Background()
	cs := fake.NewClientset(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "nc-worker", Labels: map[string]string{"a": "b"}}})
	f := &kubeProxyRemoved{env: &Env{Client: &kube.Client{Interface: cs}, Nodes: []Node{{Name: "nc-worker"}, {Name: "nc-worker3", Reserved: true}}}}
	assert.NilError(t, f.labelTargets(ctx))
	n, err := cs.CoreV1().Nodes().Get(ctx, "nc-worker", metav1.GetOptions{})
	assert.NilError(t, err)
	assert.DeepEqual(t, n.Labels, map[string]string{"a": "b", SelftestLabel: kubeProxyRemovedMark})
	assert.DeepEqual(t, f.labels, map[string]*string{"nc-worker": nil}) // the reserved node is not labelled

	assert.NilError(t, kube.LabelNode(ctx, f.env.Client, "nc-worker", SelftestLabel, f.labels["nc-worker"]))
	n, err = cs.CoreV1().Nodes().Get(ctx, "nc-worker", metav1.GetOptions{})
	assert.NilError(t, err)
	assert.DeepEqual(t, n.Labels, map[string]string{"a": "b"})
}
