package faults

import (
	"context"
	"fmt"
	"strings"

	"github.com/netconform/netconform/pkg/claims"
	"github.com/netconform/netconform/pkg/detect"
	"github.com/netconform/netconform/pkg/kube"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/util/retry"
)

// The self-test's own kube-proxy switch. The suite's (kube.KubeProxySwitch)
// cannot serve: every run switches it back on at its start, as left over
// by a killed run, so the fault would be undone under the catalogue.
const (
	SelftestLabel        = "netconform.io/selftest-fault"
	kubeProxyRemovedMark = "kube-proxy-removed"
)

var selftestProxyTerm = corev1.NodeSelectorRequirement{Key: SelftestLabel, Operator: corev1.NodeSelectorOpNotIn, Values: []string{kubeProxyRemovedMark}}

// kubeProxyRemoved stops kube-proxy on every node but the reserved one: the
// nodes are labelled, kube-proxy's DaemonSet is made to avoid that label
// (one rollout, which restarts kube-proxy on the reserved node), and the
// rules kube-proxy left in each node's kernel are flushed: ClusterIPs and
// NodePorts are translated nowhere.
//
// Once back, kube-proxy's first sync is a full one: it writes every chain
// from the Services and EndpointSlices and puts back the jumps from the
// built-in chains, so the rules return without help; Revert waits until
// they show the kubernetes Service, then clears the UDP conntrack entries
// toward the DNS ClusterIP made while nothing translated it (a client
// reusing its source port would keep missing CoreDNS until they expire).
type kubeProxyRemoved struct {
	env       *Env
	k         *detect.KubeProxyDaemonSet
	labels    map[string]*string // node -> SelftestLabel before (nil: none); nil map: not applied
	affinity  *corev1.Affinity   // the DaemonSet's, without the fault's term
	serviceIP string             // the kubernetes Service's ClusterIP
}

func (f *kubeProxyRemoved) Name() string { return "kube-proxy-removed" }
func (f *kubeProxyRemoved) Breaks() []claims.Mechanism {
	return []claims.Mechanism{claims.ClusterIP, claims.NodePort}
}

func (f *kubeProxyRemoved) Apply(ctx context.Context) error {
	c := f.env.Client
	ds, err := c.AppsV1().DaemonSets("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	cms, err := c.CoreV1().ConfigMaps("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	proxy := detect.DetectServiceProxy(ds.Items, cms.Items)
	switch {
	case proxy.KubeProxy == nil || proxy.Replacement != "":
		return fmt.Errorf("no kube-proxy to remove: %s", proxy.Describe())
	case proxy.KubeProxy.Mode != "iptables" && proxy.KubeProxy.Mode != "nftables":
		return fmt.Errorf("kube-proxy mode %q: only iptables and nftables rules can be flushed", proxy.KubeProxy.Mode)
	}
	f.k = proxy.KubeProxy
	svc, err := c.CoreV1().Services("default").Get(ctx, "kubernetes", metav1.GetOptions{})
	if err != nil {
		return err
	}
	f.serviceIP = svc.Spec.ClusterIP
	if err := f.labelTargets(ctx); err != nil {
		return err
	}
	if err := f.addTerm(ctx); err != nil {
		return err
	}
	err = kube.WaitFor(ctx, "kube-proxy pods gone from every node but the reserved one", Bound, func(ctx context.Context) (kube.Observation, error) {
		pods, err := f.pods(ctx)
		if err != nil {
			return kube.Observation{}, err
		}
		var left []string
		for _, n := range f.env.Targets() {
			if p, ok := pods[n.Name]; ok {
				left = append(left, kube.DescribePod(&p))
			}
		}
		return kube.Observation{Done: len(left) == 0, Seen: "still there: " + strings.Join(left, "; ")}, nil
	})
	if err != nil {
		return err
	}
	for _, n := range f.env.Targets() {
		if _, err := sh(ctx, f.env.Shell, n.Name, flushScript(f.k.Mode)); err != nil {
			return fmt.Errorf("node %s: flush kube-proxy's rules: %w", n.Name, err)
		}
	}
	f.env.logf("kube-proxy (%s, %s mode) removed and its rules flushed on %d nodes", f.k, f.k.Mode, len(f.env.Targets()))
	return f.waitRolledOut(ctx) // the reserved node's kube-proxy restarted with the new template
}

// labelTargets labels every target node, recording its label before.
func (f *kubeProxyRemoved) labelTargets(ctx context.Context) error {
	if f.labels == nil {
		f.labels = map[string]*string{}
	}
	for _, n := range f.env.Targets() {
		node, err := f.env.Client.CoreV1().Nodes().Get(ctx, n.Name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		if _, recorded := f.labels[n.Name]; !recorded {
			f.labels[n.Name] = nil
			if v, ok := node.Labels[SelftestLabel]; ok {
				f.labels[n.Name] = &v
			}
		}
		mark := kubeProxyRemovedMark
		if err := kube.LabelNode(ctx, f.env.Client, n.Name, SelftestLabel, &mark); err != nil {
			return err
		}
	}
	return nil
}

// addTerm makes the DaemonSet avoid labelled nodes, recording its
// affinity without the term (a term left by an interrupted self-test is
// taken out on revert too).
func (f *kubeProxyRemoved) addTerm(ctx context.Context) error {
	c := f.env.Client
	return retry.RetryOnConflict(retry.DefaultRetry, func() error {
		ds, err := c.AppsV1().DaemonSets(f.k.Namespace).Get(ctx, f.k.Name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		a := ds.Spec.Template.Spec.Affinity
		f.affinity = withoutNodeRequirement(a, selftestProxyTerm)
		if kube.HasNodeRequirement(a, selftestProxyTerm) {
			return nil
		}
		ds.Spec.Template.Spec.Affinity = kube.WithNodeRequirement(a, selftestProxyTerm)
		_, err = c.AppsV1().DaemonSets(f.k.Namespace).Update(ctx, ds, metav1.UpdateOptions{})
		return err
	})
}

// withoutNodeRequirement is a with r taken out of every required node
// selector term, and what becomes empty taken out too (an empty term would
// match no node), so that it undoes kube.WithNodeRequirement exactly.
func withoutNodeRequirement(a *corev1.Affinity, r corev1.NodeSelectorRequirement) *corev1.Affinity {
	out := a.DeepCopy()
	if out == nil || out.NodeAffinity == nil || out.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		return out
	}
	req := out.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution
	var terms []corev1.NodeSelectorTerm
	for _, t := range req.NodeSelectorTerms {
		var kept []corev1.NodeSelectorRequirement
		for _, e := range t.MatchExpressions {
			if !kube.HasNodeRequirement(&corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
				NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{e}}}}}}, r) {
				kept = append(kept, e)
			}
		}
		t.MatchExpressions = kept
		if len(t.MatchExpressions) > 0 || len(t.MatchFields) > 0 {
			terms = append(terms, t)
		}
	}
	req.NodeSelectorTerms = terms
	if len(terms) == 0 {
		out.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution = nil
	}
	if out.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil && out.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution == nil {
		out.NodeAffinity = nil
	}
	if out.NodeAffinity == nil && out.PodAffinity == nil && out.PodAntiAffinity == nil {
		return nil
	}
	return out
}

func (f *kubeProxyRemoved) waitRolledOut(ctx context.Context) error {
	return kube.WaitFor(ctx, "kube-proxy DaemonSet "+f.k.String()+" rolled out and ready", Bound, func(ctx context.Context) (kube.Observation, error) {
		ds, err := f.env.Client.AppsV1().DaemonSets(f.k.Namespace).Get(ctx, f.k.Name, metav1.GetOptions{})
		if err != nil {
			return kube.Observation{}, err
		}
		st := ds.Status
		return kube.Observation{
			Done: st.ObservedGeneration >= ds.Generation && st.UpdatedNumberScheduled == st.DesiredNumberScheduled && st.NumberReady == st.DesiredNumberScheduled,
			Seen: fmt.Sprintf("desired %d, updated %d, ready %d", st.DesiredNumberScheduled, st.UpdatedNumberScheduled, st.NumberReady),
		}, nil
	})
}

// pods are kube-proxy's pods by node.
func (f *kubeProxyRemoved) pods(ctx context.Context) (map[string]corev1.Pod, error) {
	list, err := f.env.Client.CoreV1().Pods(f.k.Namespace).List(ctx, metav1.ListOptions{LabelSelector: labels.SelectorFromSet(f.k.Selector).String()})
	if err != nil {
		return nil, err
	}
	out := map[string]corev1.Pod{}
	for _, p := range list.Items {
		out[p.Spec.NodeName] = p
	}
	return out, nil
}

// rules looks at every target node's kernel: kube-proxy's rules present
// (the kubernetes Service translated) or gone on each.
func (f *kubeProxyRemoved) rules(ctx context.Context) (allPresent, allGone bool, seen []string, err error) {
	allPresent, allGone = true, true
	for _, n := range f.env.Targets() {
		out, err := sh(ctx, f.env.Shell, n.Name, rulesCommand(f.k.Mode, f.serviceIP))
		if err != nil {
			return false, false, nil, err
		}
		present, gone := rulesState(f.k.Mode, out, f.serviceIP)
		allPresent, allGone = allPresent && present, allGone && gone
		seen = append(seen, fmt.Sprintf("%s: rules for %s %t, none of kube-proxy's %t", n.Name, f.serviceIP, present, gone))
	}
	return allPresent, allGone, seen, nil
}

func (f *kubeProxyRemoved) InEffect(ctx context.Context) (bool, string, error) {
	if f.labels == nil {
		return false, "not applied", nil
	}
	pods, err := f.pods(ctx)
	if err != nil {
		return false, "", err
	}
	var running []string
	for _, n := range f.env.Targets() {
		if p, ok := pods[n.Name]; ok {
			running = append(running, kube.DescribePod(&p))
		}
	}
	_, gone, seen, err := f.rules(ctx)
	if err != nil {
		return false, "", err
	}
	return len(running) == 0 && gone, fmt.Sprintf("kube-proxy pods on target nodes: [%s]; %s", strings.Join(running, "; "), strings.Join(seen, "; ")), nil
}
