package detect

import (
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func daemonSet(ns, name string, labels map[string]string, spec corev1.PodSpec) appsv1.DaemonSet {
	return appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: labels},
		Spec: appsv1.DaemonSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{Spec: spec},
		},
	}
}

func configMap(ns, name string, data map[string]string) corev1.ConfigMap {
	return corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}, Data: data}
}

// kubeadmKubeProxy is the DaemonSet kubeadm (and so kind) installs.
func kubeadmKubeProxy() appsv1.DaemonSet {
	return daemonSet("kube-system", "kube-proxy", map[string]string{"k8s-app": "kube-proxy"}, corev1.PodSpec{
		Containers: []corev1.Container{{
			Name:    "kube-proxy",
			Image:   "registry.k8s.io/kube-proxy:v1.36.3",
			Command: []string{"/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf", "--hostname-override=$(NODE_NAME)"},
			VolumeMounts: []corev1.VolumeMount{
				{Name: "kube-proxy", MountPath: "/var/lib/kube-proxy"},
				{Name: "xtables-lock", MountPath: "/run/xtables.lock"},
			},
		}},
		Volumes: []corev1.Volume{
			{Name: "kube-proxy", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: "kube-proxy"}}}},
			{Name: "xtables-lock", VolumeSource: corev1.VolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: "/run/xtables.lock"}}},
		},
	})
}

func kubeadmConfig(mode string) corev1.ConfigMap {
	conf := "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclusterCIDR: 10.244.0.0/16\n"
	if mode != "" {
		conf += "mode: " + mode + "\n"
	}
	return configMap("kube-system", "kube-proxy", map[string]string{"config.conf": conf, "kubeconfig.conf": "apiVersion: v1\nkind: Config\n"})
}

func flannel() appsv1.DaemonSet {
	return daemonSet("kube-flannel", "kube-flannel-ds", map[string]string{"app": "flannel"}, corev1.PodSpec{
		Containers: []corev1.Container{{Name: "kube-flannel", Image: "ghcr.io/flannel-io/flannel:v0.26.1", Command: []string{"/opt/bin/flanneld"}}},
	})
}

func cilium() appsv1.DaemonSet {
	return daemonSet("kube-system", "cilium", map[string]string{"k8s-app": "cilium"}, corev1.PodSpec{
		Containers: []corev1.Container{{Name: "cilium-agent", Image: "quay.io/cilium/cilium:v1.17.2@sha256:3c4c9932b5d8368619cb922a497ff2ebc8def5f41c18e410bcc84025fcd385b1", Command: []string{"cilium-agent"}, Args: []string{"--config-dir=/tmp/cilium/config-map"}}},
	})
}

func TestDetectServiceProxy(t *testing.T) {
	for _, tc := range []struct {
		name        string
		ds          []appsv1.DaemonSet
		cms         []corev1.ConfigMap
		kubeProxy   string // "ns/name", "" for none
		mode        string
		modeFrom    string
		replacement string
	}{
		{name: "kind, iptables", ds: []appsv1.DaemonSet{flannel(), kubeadmKubeProxy()}, cms: []corev1.ConfigMap{kubeadmConfig("iptables")},
			kubeProxy: "kube-system/kube-proxy", mode: "iptables", modeFrom: "ConfigMap kube-system/kube-proxy key config.conf"},
		{name: "kind, nftables", ds: []appsv1.DaemonSet{kubeadmKubeProxy()}, cms: []corev1.ConfigMap{kubeadmConfig("nftables")},
			kubeProxy: "kube-system/kube-proxy", mode: "nftables"},
		{name: "kubeadm with mode unset is the Linux default", ds: []appsv1.DaemonSet{kubeadmKubeProxy()}, cms: []corev1.ConfigMap{kubeadmConfig("")},
			kubeProxy: "kube-system/kube-proxy", mode: "iptables", modeFrom: "sets no mode: the Linux default"},
		{name: "ConfigMap not readable: mode unknown", ds: []appsv1.DaemonSet{kubeadmKubeProxy()},
			kubeProxy: "kube-system/kube-proxy", mode: "", modeFrom: "not readable"},
		{name: "kube-proxy under other labels and name, mode by flag", ds: []appsv1.DaemonSet{
			daemonSet("networking", "proxy", map[string]string{"app": "svc-proxy"}, corev1.PodSpec{Containers: []corev1.Container{{
				Name: "proxy", Image: "docker.io/rancher/hardened-kube-proxy:v1.36.3-build20260101", Command: []string{"kube-proxy"}, Args: []string{"--proxy-mode", "ipvs"}}}}),
		}, kubeProxy: "networking/proxy", mode: "ipvs", modeFrom: "flag --proxy-mode"},
		{name: "Cilium kube-proxy replacement, no kube-proxy", ds: []appsv1.DaemonSet{cilium()},
			cms:         []corev1.ConfigMap{configMap("kube-system", "cilium-config", map[string]string{"kube-proxy-replacement": "true", "tunnel-protocol": "vxlan"})},
			replacement: "Cilium (ConfigMap kube-system/cilium-config kube-proxy-replacement=true)"},
		{name: "Cilium without replacement beside kube-proxy", ds: []appsv1.DaemonSet{cilium(), kubeadmKubeProxy()},
			cms:       []corev1.ConfigMap{kubeadmConfig("iptables"), configMap("kube-system", "cilium-config", map[string]string{"kube-proxy-replacement": "false"})},
			kubeProxy: "kube-system/kube-proxy", mode: "iptables"},
		{name: "Cilium strict replacement (before 1.14)", ds: []appsv1.DaemonSet{cilium()},
			cms:         []corev1.ConfigMap{configMap("kube-system", "cilium-config", map[string]string{"kube-proxy-replacement": "strict"})},
			replacement: "kube-proxy-replacement=strict"},
		{name: "kube-router with its service proxy", ds: []appsv1.DaemonSet{daemonSet("kube-system", "kube-router", map[string]string{"k8s-app": "kube-router"}, corev1.PodSpec{
			Containers: []corev1.Container{{Name: "kube-router", Image: "docker.io/cloudnativelabs/kube-router:v2.4.0", Args: []string{"--run-router=true", "--run-firewall=true", "--run-service-proxy=true"}}}})},
			replacement: "kube-router (DaemonSet kube-system/kube-router, service proxy on)"},
		{name: "kube-router as a CNI only, beside kube-proxy", ds: []appsv1.DaemonSet{kubeadmKubeProxy(), daemonSet("kube-system", "kube-router", map[string]string{"k8s-app": "kube-router"}, corev1.PodSpec{
			Containers: []corev1.Container{{Name: "kube-router", Image: "cloudnativelabs/kube-router", Args: []string{"--run-service-proxy=false"}}}})},
			cms: []corev1.ConfigMap{kubeadmConfig("ipvs")}, kubeProxy: "kube-system/kube-proxy", mode: "ipvs"},
		{name: "Antrea proxyAll", ds: []appsv1.DaemonSet{daemonSet("kube-system", "antrea-agent", map[string]string{"app": "antrea"}, corev1.PodSpec{
			Containers: []corev1.Container{{Name: "antrea-agent", Image: "antrea/antrea-agent-ubuntu:v2.3.0"}}})},
			cms:         []corev1.ConfigMap{configMap("kube-system", "antrea-config", map[string]string{"antrea-agent.conf": "antreaProxy:\n  enable: true\n  proxyAll: true\n"})},
			replacement: "Antrea"},
		{name: "Calico eBPF dataplane", ds: []appsv1.DaemonSet{daemonSet("calico-system", "calico-node", map[string]string{"k8s-app": "calico-node"}, corev1.PodSpec{
			Containers: []corev1.Container{{Name: "calico-node", Image: "docker.io/calico/node:v3.30.0", Env: []corev1.EnvVar{{Name: "FELIX_BPFENABLED", Value: "true"}}}}})},
			replacement: "Calico eBPF (DaemonSet calico-system/calico-node FELIX_BPFENABLED=true)"},
		{name: "k3s: kube-proxy embedded in the agent, no DaemonSet, no replacement", ds: []appsv1.DaemonSet{
			daemonSet("kube-system", "svclb-traefik", map[string]string{"app": "svclb-traefik"}, corev1.PodSpec{Containers: []corev1.Container{{Name: "lb-tcp-80", Image: "rancher/klipper-lb:v0.4.9"}}})}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := DetectServiceProxy(tc.ds, tc.cms)
			if tc.kubeProxy == "" {
				assert.Assert(t, p.KubeProxy == nil, "kube-proxy %v, want none", p.KubeProxy)
			} else {
				assert.Assert(t, p.KubeProxy != nil, "no kube-proxy found, want %s", tc.kubeProxy)
				assert.Equal(t, p.KubeProxy.String(), tc.kubeProxy)
				assert.Equal(t, p.KubeProxy.Mode, tc.mode)
				assert.Assert(t, strings.Contains(p.KubeProxy.ModeFrom, tc.modeFrom), "mode from %q, want %q in it", p.KubeProxy.ModeFrom, tc.modeFrom)
				assert.Assert(t, len(p.KubeProxy.Selector) > 0)
			}
			assert.Assert(t, strings.Contains(p.Replacement, tc.replacement) && (tc.replacement == "") == (p.Replacement == ""),
				"replacement %q, want %q", p.Replacement, tc.replacement)
			assert.Assert(t, p.Describe() != "")
		})
	}
}

func TestMountedConfigMapItems(t *testing.T) {
	ds := kubeadmKubeProxy()
	ds.Spec.Template.Spec.Volumes[0].ConfigMap.Items = []corev1.KeyToPath{{Key: "proxy.yaml", Path: "config.conf"}}
	p := DetectServiceProxy([]appsv1.DaemonSet{ds}, []corev1.ConfigMap{configMap("kube-system", "kube-proxy", map[string]string{"proxy.yaml": "mode: nftables\n"})})
	assert.Equal(t, p.KubeProxy.Mode, "nftables")
	assert.Assert(t, strings.Contains(p.KubeProxy.ModeFrom, "key proxy.yaml"))
}

func TestImageName(t *testing.T) {
	for ref, want := range map[string]string{
		"registry.k8s.io/kube-proxy:v1.36.3":         "kube-proxy",
		"kube-proxy":                                 "kube-proxy",
		"localhost:5000/kube-proxy@sha256:abc":       "kube-proxy",
		"quay.io/cilium/cilium:v1.17.2@sha256:3c4c9": "cilium",
	} {
		assert.Equal(t, imageName(ref), want, ref)
	}
}

func TestKubeProxyHealthz(t *testing.T) {
	assert.Assert(t, KubeProxyHealthz(`{"lastUpdated": "2026-12-02 07:30:01.1 +0000 UTC","currentTime": "2026-12-02 07:30:01.1 +0000 UTC", "nodeEligible": true}`))
	assert.Assert(t, KubeProxyHealthz(`{"lastUpdated": "2026-12-02 07:29:01 +0000 UTC","currentTime": "2026-12-02 07:30:01 +0000 UTC"}`), "livez, or a 503 without nodeEligible")
	assert.Assert(t, !KubeProxyHealthz("ok"), "a plain healthz is not a service proxy's")
	assert.Assert(t, !KubeProxyHealthz(`{"status":"ok"}`))
	assert.Assert(t, !KubeProxyHealthz(""))
}

func TestKernelModes(t *testing.T) {
	for _, m := range []string{"iptables", "nftables", "ipvs"} {
		assert.Assert(t, KernelModes[m], m)
	}
	for _, m := range []string{"userspace", "kernelspace", ""} {
		assert.Assert(t, !KernelModes[m], m)
	}
}
