package harness

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/netconform/netconform/pkg/kube"
	authnv1 "k8s.io/api/authentication/v1"
	authzv1 "k8s.io/api/authorization/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// access is one kind of request the suite makes. It is checked in all
// namespaces: the suite's namespaces get random names, so a Role in one
// namespace is not enough.
type access struct {
	Verb, Group, Resource, Subresource string
}

func (a access) String() string {
	r := a.Resource
	if a.Group != "" {
		r += "." + a.Group
	}
	if a.Subresource != "" {
		r += "/" + a.Subresource
	}
	return a.Verb + " " + r
}

// suiteNeeds is what the tests do: make and remove their namespaces, run
// probe pods and exec into them, read logs, create the workloads and
// Services under test, and read nodes and EndpointSlices.
var suiteNeeds = []access{
	{"create", "", "namespaces", ""},
	{"delete", "", "namespaces", ""},
	{"create", "", "pods", ""},
	{"list", "", "pods", ""},
	{"delete", "", "pods", ""},
	{"create", "", "pods", "exec"},
	{"get", "", "pods", "log"},
	{"create", "", "services", ""},
	{"create", "", "configmaps", ""},
	{"create", "", "secrets", ""},
	{"create", "apps", "deployments", ""},
	{"patch", "apps", "deployments", ""},
	{"create", "apps", "statefulsets", ""},
	{"create", "batch", "jobs", ""},
	{"list", "discovery.k8s.io", "endpointslices", ""},
	{"list", "", "nodes", ""},
}

// checkAccess asks the API server, one SelfSubjectAccessReview per need,
// which of needs the caller lacks, in the order of needs.
func checkAccess(ctx context.Context, c kubernetes.Interface, needs []access) ([]access, error) {
	allowed := make([]bool, len(needs))
	errs := make([]error, len(needs))
	var wg sync.WaitGroup
	for i, a := range needs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			review := &authzv1.SelfSubjectAccessReview{Spec: authzv1.SelfSubjectAccessReviewSpec{
				ResourceAttributes: &authzv1.ResourceAttributes{Verb: a.Verb, Group: a.Group, Resource: a.Resource, Subresource: a.Subresource},
			}}
			got, err := c.AuthorizationV1().SelfSubjectAccessReviews().Create(ctx, review, metav1.CreateOptions{})
			if err != nil {
				errs[i] = fmt.Errorf("may I %s: %w", a, err)
				return
			}
			allowed[i] = got.Status.Allowed
		}()
	}
	wg.Wait()
	var missing []access
	for i, a := range needs {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if !allowed[i] {
			missing = append(missing, a)
		}
	}
	return missing, nil
}

// selfUser is the user name the API server sees ("" when it will not say),
// so that the fix can name whom to grant.
func selfUser(ctx context.Context, c *kube.Client) string {
	r, err := c.AuthenticationV1().SelfSubjectReviews().Create(ctx, &authnv1.SelfSubjectReview{}, metav1.CreateOptions{})
	if err != nil {
		return ""
	}
	return r.Status.UserInfo.Username
}

func missingAccessError(t target, user string, missing []access) error {
	var b strings.Builder
	who := "the user"
	if user != "" {
		who = "user " + user
	}
	fmt.Fprintf(&b, "%s of %s may not do what the suite does, in all namespaces; missing:\n", who, t)
	for _, a := range missing {
		fmt.Fprintf(&b, "  - %s\n", a)
	}
	b.WriteString("Grant these cluster-wide (the suite makes and deletes its own namespaces, labelled " + kube.SuiteLabel + "=true)")
	switch {
	case strings.HasPrefix(user, "system:serviceaccount:"):
		fmt.Fprintf(&b, ", e.g. `kubectl create clusterrolebinding netconform --clusterrole=cluster-admin --serviceaccount=%s`", strings.TrimPrefix(user, "system:serviceaccount:"))
	case user != "":
		fmt.Fprintf(&b, ", e.g. `kubectl create clusterrolebinding netconform --clusterrole=cluster-admin --user=%s`", user)
	}
	b.WriteString(", or use a kubeconfig with these rights")
	return fmt.Errorf("%s", b.String())
}
