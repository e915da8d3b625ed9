package kube

import (
	"testing"

	"gotest.tools/v3/assert"
	corev1 "k8s.io/api/core/v1"
)

func TestWorkloadNode(t *testing.T) {
	taint := func(key string) corev1.Node {
		return corev1.Node{Spec: corev1.NodeSpec{Taints: []corev1.Taint{{Key: key, Effect: corev1.TaintEffectNoSchedule}}}}
	}
	assert.Assert(t, WorkloadNode(corev1.Node{}))
	assert.Assert(t, !WorkloadNode(taint("node-role.kubernetes.io/control-plane")))
	assert.Assert(t, WorkloadNode(taint("node.kubernetes.io/not-ready")), "a blink of readiness keeps the node")
	assert.Assert(t, !WorkloadNode(corev1.Node{Spec: corev1.NodeSpec{Unschedulable: true}}))
}
