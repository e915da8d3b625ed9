package harness

import (
	"context"
	"fmt"
	"strings"
	"sync"

	shippedrbac "github.com/netconform/netconform/fixtures/rbac"
	"github.com/netconform/netconform/pkg/kube"
	authnv1 "k8s.io/api/authentication/v1"
	authzv1 "k8s.io/api/authorization/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/yaml"
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

// suiteNeeds is every request the shipped ClusterRole allows (fixtures/rbac),
// which is what the suite does: make and remove its namespaces, run probe
// pods and exec into them, create the workloads and Services under test, and
// read nodes, EndpointSlices and kube-system. rbac_test.go checks that the
// code makes no call outside it.
var suiteNeeds = mustRoleNeeds(shippedrbac.ClusterRole)

// roleNeeds expands a ClusterRole's rules into one access per group,
// resource and verb.
func roleNeeds(doc []byte) ([]access, error) {
	var role rbacv1.ClusterRole
	if err := yaml.UnmarshalStrict(doc, &role); err != nil {
		return nil, fmt.Errorf("the shipped ClusterRole: %w", err)
	}
	var out []access
	for _, r := range role.Rules {
		for _, g := range r.APIGroups {
			for _, res := range r.Resources {
				resource, sub, _ := strings.Cut(res, "/")
				for _, v := range r.Verbs {
					out = append(out, access{v, g, resource, sub})
				}
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the shipped ClusterRole allows nothing")
	}
	return out, nil
}

func mustRoleNeeds(doc []byte) []access {
	needs, err := roleNeeds(doc)
	if err != nil {
		panic(err)
	}
	return needs
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
	b.WriteString("Bind the shipped ClusterRole, which grants exactly what the suite does, cluster-wide (it makes and deletes its own namespaces, labelled " + kube.SuiteLabel + "=true): `kubectl apply -f fixtures/rbac/clusterrole.yaml`")
	switch {
	case strings.HasPrefix(user, "system:serviceaccount:"):
		fmt.Fprintf(&b, " and `kubectl create clusterrolebinding netconform --clusterrole=netconform --serviceaccount=%s`", strings.TrimPrefix(user, "system:serviceaccount:"))
	case user != "":
		fmt.Fprintf(&b, " and `kubectl create clusterrolebinding netconform --clusterrole=netconform --user=%s`", user)
	}
	b.WriteString(", or use a kubeconfig with these rights")
	return fmt.Errorf("%s", b.String())
}
