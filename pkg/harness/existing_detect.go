package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/netconform/netconform/pkg/corefile"
	"github.com/netconform/netconform/pkg/kube"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// clusterFacts is what an existing-cluster run tells the user at setup:
// the facts that decide which claims turn out not applicable, read the way
// the claims read them, so the summary and the verdicts agree.
type clusterFacts struct {
	Target      target
	Version     string
	Nodes       []string
	Schedulable []string
	KubeProxy   string   // "ready/desired" of DaemonSet kube-system/kube-proxy; "" when there is none
	DaemonSets  []string // all of them, to name a kube-proxy replacement
	Zone        string
	ZoneFrom    string // where Zone was read
	PodRecords  string // CoreDNS kubernetes plugin `pods` mode; "" when not readable
	KindCluster string // "" when the nodes are not kind containers
}

// detect reads the facts; a fact it may not read is reported as unknown,
// never fatal: the claims that need it say so themselves.
func detect(ctx context.Context, c kubernetes.Interface, f clusterFacts, nodes []corev1.Node) clusterFacts {
	for _, n := range nodes {
		f.Nodes = append(f.Nodes, n.Name)
		if kube.WorkloadNode(n) {
			f.Schedulable = append(f.Schedulable, n.Name)
		}
	}
	sort.Strings(f.Schedulable)
	f.KindCluster = kindClusterOf(nodes)
	if ds, err := c.AppsV1().DaemonSets("kube-system").Get(ctx, "kube-proxy", metav1.GetOptions{}); err == nil {
		f.KubeProxy = fmt.Sprintf("%d/%d", ds.Status.NumberReady, ds.Status.DesiredNumberScheduled)
	}
	if list, err := c.AppsV1().DaemonSets("").List(ctx, metav1.ListOptions{}); err == nil {
		for _, d := range list.Items {
			f.DaemonSets = append(f.DaemonSets, d.Namespace+"/"+d.Name)
		}
	}
	var fromKubelet bool
	f.Zone, fromKubelet = ClusterDomain(ctx, c)
	f.ZoneFrom = "kubelet clusterDomain"
	if !fromKubelet {
		f.ZoneFrom = "default; the kubelet configuration (nodes/proxy configz) is not readable"
	}
	if cm, err := c.CoreV1().ConfigMaps("kube-system").Get(ctx, "coredns", metav1.GetOptions{}); err == nil {
		if facts := corefile.Parse(cm.Data["Corefile"], f.Zone); facts.HasKubernetes {
			f.PodRecords = facts.PodsMode
		}
	}
	return f
}

// summary is one line per fact, as printed at setup.
func (f clusterFacts) summary() []string {
	lines := []string{
		fmt.Sprintf("API server %s (%s), %s", f.Target.Server, f.Version, f.Target),
		fmt.Sprintf("nodes: %d, schedulable %d (%s)", len(f.Nodes), len(f.Schedulable), strings.Join(f.Schedulable, ", ")),
	}
	if f.KubeProxy != "" {
		lines = append(lines, fmt.Sprintf("service proxy: kube-proxy (DaemonSet kube-system/kube-proxy, %s ready)", f.KubeProxy))
	} else {
		lines = append(lines, fmt.Sprintf("service proxy: no kube-proxy DaemonSet, a replacement serves Services (DaemonSets: %s)", strings.Join(f.DaemonSets, ", ")))
	}
	lines = append(lines, fmt.Sprintf("DNS zone: %s (%s)", f.Zone, f.ZoneFrom))
	switch f.PodRecords {
	case "":
		lines = append(lines, "pod DNS records: unknown (no readable CoreDNS kubernetes plugin in kube-system/coredns)")
	case "disabled":
		lines = append(lines, "pod DNS records: none (CoreDNS pods disabled)")
	default:
		lines = append(lines, fmt.Sprintf("pod DNS records: served (CoreDNS pods %s)", f.PodRecords))
	}
	if f.KindCluster != "" {
		lines = append(lines, fmt.Sprintf("kind: yes, cluster %q (node providerID kind://)", f.KindCluster))
	} else {
		lines = append(lines, "kind: no")
	}
	lines = append(lines, "outside observer: none; the suite probes from outside only clusters it made, so claims that need that vantage point are not applicable")
	for i := range lines {
		lines[i] = "[cluster] " + lines[i]
	}
	return lines
}

// ClusterDomain is the kubelet's clusterDomain, read through the node
// proxy's configz, else the default cluster.local (fromKubelet false).
func ClusterDomain(ctx context.Context, c kubernetes.Interface) (zone string, fromKubelet bool) {
	nodes, err := c.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err == nil && len(nodes.Items) > 0 {
		raw, err := c.CoreV1().RESTClient().Get().Resource("nodes").Name(nodes.Items[0].Name).SubResource("proxy", "configz").DoRaw(ctx)
		var cfg struct {
			KubeletConfig struct {
				ClusterDomain string `json:"clusterDomain"`
			} `json:"kubeletconfig"`
		}
		if err == nil && json.Unmarshal(raw, &cfg) == nil && cfg.KubeletConfig.ClusterDomain != "" {
			return strings.TrimSuffix(cfg.KubeletConfig.ClusterDomain, "."), true
		}
	}
	return "cluster.local", false
}

// kindClusterOf is the kind cluster name from the nodes' providerID
// (kind://<provider>/<cluster>/<node>); "" when the cluster is not kind.
func kindClusterOf(nodes []corev1.Node) string {
	for _, n := range nodes {
		rest, ok := strings.CutPrefix(n.Spec.ProviderID, "kind://")
		if parts := strings.Split(rest, "/"); ok && len(parts) == 3 && parts[1] != "" {
			return parts[1]
		}
	}
	return ""
}
