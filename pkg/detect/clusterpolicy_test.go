package detect

import (
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

func kindOf(t *testing.T, resource, group string) PolicyKind {
	t.Helper()
	for _, k := range ClusterPolicyKinds {
		if k.Resource == resource && k.Group == group {
			return k
		}
	}
	t.Fatalf("no kind %s.%s", resource, group)
	return PolicyKind{}
}

func TestAdminNetworkPolicyBlocksOnlyByDeny(t *testing.T) {
	anp := kindOf(t, "adminnetworkpolicies", "policy.networking.k8s.io")
	objs := objects(t, `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata:
  name: cluster-control
spec:
  priority: 20
  subject:
    namespaces: {}
  ingress:
  - name: allow-monitoring
    action: Allow
    from:
    - namespaces:
        matchLabels:
          kubernetes.io/metadata.name: monitoring
  - name: pass-to-namespaces
    action: Pass
    from:
    - namespaces: {}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata:
  name: isolate-sensitive
spec:
  priority: 10
  subject:
    namespaces:
      matchLabels:
        tier: sensitive
  ingress:
  - name: deny-all
    action: Deny
    from:
    - namespaces: {}`)
	allow := ClassifyClusterPolicy(anp, objs[0])
	assert.Assert(t, !allow.CanBlock, allow.String())
	assert.Equal(t, allow.How, "rule actions Allow:1 Pass:1")
	deny := ClassifyClusterPolicy(anp, objs[1])
	assert.Assert(t, deny.CanBlock, deny.String())
	assert.Equal(t, deny.String(), "adminnetworkpolicies.policy.networking.k8s.io/v1alpha1 isolate-sensitive: can block (rule actions Deny:1)")
}

func TestBaselineAdminNetworkPolicyDefaultDeny(t *testing.T) {
	banp := kindOf(t, "baselineadminnetworkpolicies", "policy.networking.k8s.io")
	obj := objects(t, `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata:
  name: default
spec:
  subject:
    namespaces: {}
  egress:
  - name: default-deny
    action: Deny
    to:
    - namespaces: {}`)[0]
	assert.Assert(t, ClassifyClusterPolicy(banp, obj).CanBlock)
}

func TestCiliumClusterwidePolicies(t *testing.T) {
	ccnp := kindOf(t, "ciliumclusterwidenetworkpolicies", "cilium.io")
	objs := objects(t, `apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata:
  name: allow-dns-only
spec:
  endpointSelector: {}
  egress:
  - toEndpoints:
    - matchLabels:
        k8s:io.kubernetes.pod.namespace: kube-system
---
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata:
  name: audit-only
spec:
  endpointSelector: {}
  enableDefaultDeny:
    ingress: false
  ingress:
  - fromEntities: [cluster]
---
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata:
  name: host-firewall
spec:
  nodeSelector: {}
  ingress:
  - fromEntities: [cluster]
---
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata:
  name: deny-external
specs:
- endpointSelector: {}
  ingressDeny:
  - fromEntities: [world]`)
	got := map[string]ClusterPolicy{}
	for _, o := range objs {
		p := ClassifyClusterPolicy(ccnp, o)
		got[p.Name] = p
	}
	assert.Assert(t, got["allow-dns-only"].CanBlock, "egress rules make selected endpoints default-deny for egress")
	assert.Assert(t, strings.Contains(got["allow-dns-only"].How, "default deny"))
	assert.Assert(t, !got["audit-only"].CanBlock, got["audit-only"].String())
	assert.Assert(t, !got["host-firewall"].CanBlock, got["host-firewall"].String())
	assert.Assert(t, got["deny-external"].CanBlock, got["deny-external"].String())
}

func TestCalicoGlobalNetworkPolicyCanAlwaysBlock(t *testing.T) {
	gnp := kindOf(t, "globalnetworkpolicies", "crd.projectcalico.org")
	obj := objects(t, `apiVersion: crd.projectcalico.org/v1
kind: GlobalNetworkPolicy
metadata:
  name: default.allow-ping
spec:
  order: 100
  types: [Ingress]
  ingress:
  - action: Allow
    protocol: ICMP`)[0]
	p := ClassifyClusterPolicy(gnp, obj)
	assert.Assert(t, p.CanBlock)
	assert.Assert(t, strings.Contains(p.How, `selects "all()"`), p.How)
}

func TestAntreaClusterNetworkPolicy(t *testing.T) {
	acnp := kindOf(t, "clusternetworkpolicies", "crd.antrea.io")
	obj := objects(t, `apiVersion: crd.antrea.io/v1beta1
kind: ClusterNetworkPolicy
metadata:
  name: isolate
spec:
  priority: 5
  tier: securityops
  appliedTo:
  - namespaceSelector: {}
  ingress:
  - action: Drop
    from:
    - namespaceSelector: {}`)[0]
	assert.Assert(t, ClassifyClusterPolicy(acnp, obj).CanBlock)
}

func TestClusterPoliciesThatCanBlock(t *testing.T) {
	anp := kindOf(t, "adminnetworkpolicies", "policy.networking.k8s.io")
	gnp := kindOf(t, "globalnetworkpolicies", "crd.projectcalico.org")
	all, blocking := ClusterPoliciesThatCanBlock(map[PolicyKind][]map[string]any{
		anp: objects(t, "metadata:\n  name: allow\nspec:\n  ingress:\n  - action: Allow"),
		gnp: objects(t, "metadata:\n  name: default.deny\nspec:\n  selector: projectcalico.org/namespace == 'x'"),
	})
	assert.Equal(t, len(all), 2)
	assert.Equal(t, len(blocking), 1)
	assert.Equal(t, blocking[0].Name, "default.deny")
	none, nothing := ClusterPoliciesThatCanBlock(nil)
	assert.Assert(t, none == nil && nothing == nil)
}
