package harness

import (
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	corev1 "k8s.io/api/core/v1"
)

func TestKindClusterOfProviderID(t *testing.T) {
	node := func(id string) corev1.Node { return corev1.Node{Spec: corev1.NodeSpec{ProviderID: id}} }
	assert.Equal(t, kindClusterOf([]corev1.Node{node("kind://docker/netconform/netconform-worker")}), "netconform")
	assert.Equal(t, kindClusterOf([]corev1.Node{node("kind://podman/x/x-control-plane")}), "x")
	assert.Equal(t, kindClusterOf([]corev1.Node{node("aws:///eu-west-1a/i-0abc")}), "")
	assert.Equal(t, kindClusterOf([]corev1.Node{node("")}), "")
}

func TestSummaryOneLinePerFact(t *testing.T) {
	f := clusterFacts{
		Target:  target{Kubeconfig: "/k", Context: "c", Server: "https://s:6443"},
		Version: "v1.36.3", Nodes: []string{"cp", "w1", "w2"}, Schedulable: []string{"w1", "w2"},
		DaemonSets: []string{"kube-system/cilium"}, Zone: "cluster.local", ZoneFrom: "kubelet clusterDomain",
		PodRecords: "insecure", KindCluster: "netconform",
	}
	got := strings.Join(f.summary(), "\n")
	for _, want := range []string{
		"[cluster] API server https://s:6443 (v1.36.3), kubeconfig /k, context \"c\"",
		"[cluster] nodes: 3, schedulable 2 (w1, w2)",
		"[cluster] service proxy: no kube-proxy DaemonSet, a replacement serves Services (DaemonSets: kube-system/cilium)",
		"[cluster] DNS zone: cluster.local (kubelet clusterDomain)",
		"[cluster] pod DNS records: served (CoreDNS pods insecure)",
		"[cluster] kind: yes, cluster \"netconform\"",
		"[cluster] outside observer: none",
	} {
		assert.Assert(t, strings.Contains(got, want), "%q not in:\n%s", want, got)
	}
	f.KubeProxy, f.PodRecords, f.KindCluster = "3/3", "disabled", ""
	got = strings.Join(f.summary(), "\n")
	for _, want := range []string{"kube-proxy (DaemonSet kube-system/kube-proxy, 3/3 ready)", "pod DNS records: none (CoreDNS pods disabled)", "kind: no"} {
		assert.Assert(t, strings.Contains(got, want), "%q not in:\n%s", want, got)
	}
}
