package detect

import (
	"fmt"
	"sort"
	"strings"
)

// PolicyKind is a cluster-wide policy API the suite looks for: policies
// that apply to pods whatever their namespace's NetworkPolicies say.
type PolicyKind struct {
	Group, Version, Resource, Kind string
}

// String names the API for evidence lines ("adminnetworkpolicies.policy.networking.k8s.io/v1alpha1").
func (k PolicyKind) String() string { return k.Resource + "." + k.Group + "/" + k.Version }

// ClusterPolicyKinds are the cluster-wide policy APIs of upstream
// (network-policy-api) and of the CNIs that have their own.
var ClusterPolicyKinds = []PolicyKind{
	{"policy.networking.k8s.io", "v1alpha1", "adminnetworkpolicies", "AdminNetworkPolicy"},
	{"policy.networking.k8s.io", "v1alpha1", "baselineadminnetworkpolicies", "BaselineAdminNetworkPolicy"},
	{"policy.networking.k8s.io", "v1alpha2", "clusternetworkpolicies", "ClusterNetworkPolicy"},
	{"cilium.io", "v2", "ciliumclusterwidenetworkpolicies", "CiliumClusterwideNetworkPolicy"},
	{"crd.projectcalico.org", "v1", "globalnetworkpolicies", "GlobalNetworkPolicy"},
	{"crd.antrea.io", "v1beta1", "clusternetworkpolicies", "ClusterNetworkPolicy"},
}

// ClusterPolicy is one cluster-wide policy and whether it could block
// pod-to-pod traffic. Whether it selects a given pod is not decided here:
// that takes each CNI's own selector language (Calico's expressions,
// Cilium's endpoint selectors), so a policy that can deny at all counts
// as one that could explain a block.
type ClusterPolicy struct {
	API      string // PolicyKind.String()
	Name     string
	CanBlock bool
	How      string // why it can or cannot block
}

// String is one evidence line.
func (p ClusterPolicy) String() string {
	verdict := "cannot block"
	if p.CanBlock {
		verdict = "can block"
	}
	return fmt.Sprintf("%s %s: %s (%s)", p.API, p.Name, verdict, p.How)
}

// ClassifyClusterPolicy tells whether obj, an object of kind k, can block
// pod traffic:
//   - AdminNetworkPolicy, BaselineAdminNetworkPolicy, the v1alpha2
//     ClusterNetworkPolicy and Antrea's ClusterNetworkPolicy only through
//     rules whose action denies (Deny; Antrea's Drop or Reject). Allow,
//     Accept and Pass never block by themselves.
//   - A CiliumClusterwideNetworkPolicy through deny rules, or by having
//     rules in a direction at all: Cilium then denies, for the endpoints
//     it selects, what no rule allows (unless enableDefaultDeny is false
//     for that direction). A policy with a nodeSelector is a host policy
//     and does not govern pods.
//   - A Calico GlobalNetworkPolicy always: Calico drops what no policy
//     selecting an endpoint allows, besides explicit Deny rules.
func ClassifyClusterPolicy(k PolicyKind, obj map[string]any) ClusterPolicy {
	p := ClusterPolicy{API: k.String(), Name: objString(obj, "metadata", "name")}
	switch k.Group + "/" + k.Kind {
	case "policy.networking.k8s.io/AdminNetworkPolicy", "policy.networking.k8s.io/BaselineAdminNetworkPolicy",
		"policy.networking.k8s.io/ClusterNetworkPolicy":
		p.CanBlock, p.How = ruleActions(obj, "Deny")
	case "crd.antrea.io/ClusterNetworkPolicy":
		p.CanBlock, p.How = ruleActions(obj, "Drop", "Reject")
	case "cilium.io/CiliumClusterwideNetworkPolicy":
		p.CanBlock, p.How = ciliumCanBlock(obj)
	case "crd.projectcalico.org/GlobalNetworkPolicy":
		sel := objString(obj, "spec", "selector")
		if sel == "" {
			sel = "all()"
		}
		p.CanBlock, p.How = true, fmt.Sprintf("selects %q; Calico drops what no rule of a selecting policy allows", sel)
	default:
		p.CanBlock, p.How = true, "unknown kind: assumed able to block"
	}
	return p
}

// ClusterPoliciesThatCanBlock classifies every object by its kind and
// returns all of them and those that can block, sorted.
func ClusterPoliciesThatCanBlock(objs map[PolicyKind][]map[string]any) (all, blocking []ClusterPolicy) {
	for k, items := range objs {
		for _, o := range items {
			p := ClassifyClusterPolicy(k, o)
			all = append(all, p)
			if p.CanBlock {
				blocking = append(blocking, p)
			}
		}
	}
	byName := func(s []ClusterPolicy) {
		sort.Slice(s, func(i, j int) bool { return s[i].String() < s[j].String() })
	}
	byName(all)
	byName(blocking)
	return all, blocking
}

// ruleActions reports whether any ingress or egress rule has one of the
// denying actions, and names the actions seen.
func ruleActions(obj map[string]any, deny ...string) (bool, string) {
	seen := map[string]int{}
	for _, dir := range []string{"ingress", "egress"} {
		rules, _ := objField(obj, "spec", dir).([]any)
		for _, r := range rules {
			if m, ok := r.(map[string]any); ok {
				seen[objString(m, "action")]++
			}
		}
	}
	blocks := false
	for _, d := range deny {
		blocks = blocks || seen[d] > 0
	}
	if len(seen) == 0 {
		return false, "no rules"
	}
	return blocks, "rule actions " + countList(seen)
}

func ciliumCanBlock(obj map[string]any) (bool, string) {
	specs, _ := objField(obj, "specs").([]any)
	if s, ok := objField(obj, "spec").(map[string]any); ok {
		specs = append(specs, s)
	}
	var why []string
	blocks := false
	for _, raw := range specs {
		s, ok := raw.(map[string]any)
		if !ok {
			continue
		}
		if objField(s, "nodeSelector") != nil {
			why = append(why, "host policy (nodeSelector)")
			continue
		}
		for _, dir := range []string{"ingress", "egress"} {
			if rules, _ := s[dir+"Deny"].([]any); len(rules) > 0 {
				blocks = true
				why = append(why, dir+"Deny rules")
			}
			rules, _ := s[dir].([]any)
			defaultDeny := true
			if v, ok := objField(s, "enableDefaultDeny", dir).(bool); ok {
				defaultDeny = v
			}
			if len(rules) > 0 && defaultDeny {
				blocks = true
				why = append(why, dir+" rules put selected endpoints in default deny")
			}
		}
	}
	if len(why) == 0 {
		return false, "no rules"
	}
	return blocks, strings.Join(why, ", ")
}

func countList(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		if k == "" {
			parts[i] = fmt.Sprintf("(none):%d", m[k])
		} else {
			parts[i] = fmt.Sprintf("%s:%d", k, m[k])
		}
	}
	return strings.Join(parts, " ")
}
