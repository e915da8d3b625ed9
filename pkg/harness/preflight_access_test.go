package harness

import (
	"context"
	"testing"

	"gotest.tools/v3/assert"
	authzv1 "k8s.io/api/authorization/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

// rbac answers SelfSubjectAccessReviews from a set of allowed requests.
func rbac(allowed ...access) *fake.Clientset {
	c := fake.NewSimpleClientset()
	c.PrependReactor("create", "selfsubjectaccessreviews", func(a k8stesting.Action) (bool, runtime.Object, error) {
		r := a.(k8stesting.CreateAction).GetObject().(*authzv1.SelfSubjectAccessReview)
		ra := r.Spec.ResourceAttributes
		asked := access{ra.Verb, ra.Group, ra.Resource, ra.Subresource}
		for _, ok := range allowed {
			r.Status.Allowed = r.Status.Allowed || ok == asked
		}
		assertAllNamespaces(ra)
		return true, r, nil
	})
	return c
}

func assertAllNamespaces(ra *authzv1.ResourceAttributes) {
	if ra.Namespace != "" {
		panic("access must be checked in all namespaces, not " + ra.Namespace)
	}
}

func TestCheckAccessListsExactlyWhatIsMissing(t *testing.T) {
	missing, err := checkAccess(context.Background(), rbac(suiteNeeds[2:]...), suiteNeeds)
	assert.NilError(t, err)
	assert.DeepEqual(t, missing, suiteNeeds[:2])

	missing, err = checkAccess(context.Background(), rbac(suiteNeeds...), suiteNeeds)
	assert.NilError(t, err)
	assert.Equal(t, len(missing), 0)

	missing, err = checkAccess(context.Background(), rbac(), suiteNeeds)
	assert.NilError(t, err)
	assert.DeepEqual(t, missing, suiteNeeds)
}

func TestMissingAccessMessage(t *testing.T) {
	tg := target{Kubeconfig: "/tmp/sa.kubeconfig", Context: "nobody", Server: "https://127.0.0.1:6443"}
	msg := missingAccessError(tg, "system:serviceaccount:nc-rbac:nobody", []access{
		{"create", "", "namespaces", ""}, {"create", "", "pods", "exec"}, {"list", "discovery.k8s.io", "endpointslices", ""},
	}).Error()
	for _, want := range []string{
		"user system:serviceaccount:nc-rbac:nobody of kubeconfig /tmp/sa.kubeconfig, context \"nobody\"",
		"\n  - create namespaces\n  - create pods/exec\n  - list endpointslices.discovery.k8s.io\n",
		"--serviceaccount=nc-rbac:nobody",
	} {
		assert.Assert(t, contains(msg, want), "%q not in:\n%s", want, msg)
	}
	assert.Assert(t, contains(missingAccessError(tg, "alice", suiteNeeds[:1]).Error(), "--user=alice"))
	assert.Assert(t, !contains(missingAccessError(tg, "", suiteNeeds[:1]).Error(), "clusterrolebinding"))
}
