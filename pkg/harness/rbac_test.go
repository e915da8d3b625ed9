package harness

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/netconform/netconform/pkg/modroot"
	"gotest.tools/v3/assert"
)

// kindOnly are the files whose API calls run only on clusters the suite
// made (with kind's admin credentials), so the shipped role need not allow
// them: faults, the kind cluster's own set-up, and the destructive claims.
var kindOnly = []string{
	"pkg/faults/",
	"pkg/kindcluster/",
	"pkg/harness/coredns.go",          // the cluster's CoreDNS tuned at creation
	"pkg/harness/kubeproxy_switch.go", // the dataplane matrix's kube-proxy mode
	"tests/svc/proxy_switch.go",       // SVC-24 stops kube-proxy on a node
	"pkg/kube/nodelabel.go",           // called by the faults and SVC-24 only
	"ci/",
}

var (
	groupOf = map[string]string{"CoreV1": "", "AppsV1": "apps", "BatchV1": "batch", "DiscoveryV1": "discovery.k8s.io",
		"NetworkingV1": "networking.k8s.io", "CoordinationV1": "coordination.k8s.io", "RbacV1": "rbac.authorization.k8s.io"}
	// c.CoreV1().Pods(ns).Create( and the like, with the arguments of the
	// resource call at most one level of parentheses deep.
	typedCall      = regexp.MustCompile(`\.(CoreV1|AppsV1|BatchV1|DiscoveryV1|NetworkingV1|CoordinationV1|RbacV1)\(\)\.([A-Za-z]+)\((?:[^()]|\([^()]*\))*\)\.([A-Za-z]+)\(`)
	rawSubresource = regexp.MustCompile(`Resource\("pods"\)[^\n]*\n?[^\n]*SubResource\("(exec|proxy)"`)
)

// usedAccess is every request the Go files under dir make, as far as the
// typed client calls on one line and the pods subresources tell.
func usedAccess(t *testing.T, root string) map[access][]string {
	used := map[access][]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		for _, k := range kindOnly {
			if strings.HasPrefix(rel, k) {
				return nil
			}
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range typedCall.FindAllStringSubmatch(string(src), -1) {
			if m[2] == "RESTClient" {
				continue
			}
			a := access{Verb: strings.ToLower(m[3]), Group: groupOf[m[1]], Resource: strings.ToLower(m[2])}
			switch m[3] {
			case "GetLogs":
				a = access{Verb: "get", Resource: "pods", Subresource: "log"}
			case "UpdateStatus":
				a.Verb, a.Subresource = "update", "status"
			}
			used[a] = append(used[a], rel)
		}
		for _, m := range rawSubresource.FindAllStringSubmatch(string(src), -1) {
			a := access{Verb: "create", Resource: "pods", Subresource: m[1]}
			used[a] = append(used[a], rel)
		}
		return nil
	})
	assert.NilError(t, err)
	return used
}

func TestTheShippedRoleAllowsEveryCallTheSuiteMakesInAnExistingCluster(t *testing.T) {
	root, err := modroot.Find()
	assert.NilError(t, err)
	allowed := map[access]bool{}
	for _, a := range suiteNeeds {
		allowed[a] = true
	}
	used := usedAccess(t, root)
	assert.Assert(t, len(used) > 20, "the scan found only %d kinds of call: is the pattern still right?", len(used))
	for a, where := range used {
		assert.Check(t, allowed[a], "%s (in %v) is not in fixtures/rbac/clusterrole.yaml: add it there, or mark the file kind-only", a, where)
	}
}

func TestTheShippedRoleIsWhatThePreflightChecks(t *testing.T) {
	needs, err := roleNeeds([]byte("rules:\n- apiGroups: [\"\", apps]\n  resources: [pods/exec, deployments]\n  verbs: [create]\n"))
	assert.NilError(t, err)
	assert.DeepEqual(t, needs, []access{{"create", "", "pods", "exec"}, {"create", "", "deployments", ""}, {"create", "apps", "pods", "exec"}, {"create", "apps", "deployments", ""}})
	_, err = roleNeeds([]byte("rules:\n- apiGroup: [\"\"]\n"))
	assert.ErrorContains(t, err, "unknown field")
	assert.Assert(t, len(suiteNeeds) > 30)
}
