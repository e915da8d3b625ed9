package faults

import (
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"gotest.tools/v3/assert"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// The policy mutates pod creation only, to service links off, and its
// binding limits it to the suite's namespaces.
func TestServiceLinksPolicyObjects(t *testing.T) {
	objs, err := policyObjects("v1beta1")
	assert.NilError(t, err)
	assert.Equal(t, len(objs), 2)
	policy, binding := objs[0], objs[1]
	for _, o := range objs {
		assert.Equal(t, o.GetAPIVersion(), "admissionregistration.k8s.io/v1beta1")
		assert.Assert(t, admissionResources[o.GetKind()] != "", "no resource for kind %s", o.GetKind())
	}
	assert.Equal(t, policy.GetKind(), "MutatingAdmissionPolicy")
	rules, _, _ := unstructured.NestedSlice(policy.Object, "spec", "matchConstraints", "resourceRules")
	assert.DeepEqual(t, rules, []any{map[string]any{"apiGroups": []any{""}, "apiVersions": []any{"v1"}, "operations": []any{"CREATE"}, "resources": []any{"pods"}}})
	mutations, _, _ := unstructured.NestedSlice(policy.Object, "spec", "mutations")
	assert.DeepEqual(t, mutations, []any{map[string]any{"patchType": "ApplyConfiguration",
		"applyConfiguration": map[string]any{"expression": "Object{spec: Object.spec{enableServiceLinks: false}}"}}})

	assert.Equal(t, binding.GetKind(), "MutatingAdmissionPolicyBinding")
	name, _, _ := unstructured.NestedString(binding.Object, "spec", "policyName")
	assert.Equal(t, name, policy.GetName())
	sel, _, _ := unstructured.NestedStringMap(binding.Object, "spec", "matchResources", "namespaceSelector", "matchLabels")
	assert.DeepEqual(t, sel, map[string]string{kube.SuiteLabel: "true"})
}
