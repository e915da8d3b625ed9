package detect

import (
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// ServiceProxy is what serves ClusterIPs on a cluster, as its objects show
// it: a kube-proxy DaemonSet (whatever its name and labels), a dataplane
// that replaces kube-proxy, or neither.
type ServiceProxy struct {
	KubeProxy *KubeProxyDaemonSet // nil: no DaemonSet runs kube-proxy
	// Replacement names the dataplane that translates Services instead of
	// kube-proxy and the object setting that says so ("" if none). It can
	// be set beside KubeProxy: Cilium's replacement then takes the packets
	// before kube-proxy's rules see them.
	Replacement string
}

// KubeProxyDaemonSet is the DaemonSet that runs kube-proxy and its mode.
type KubeProxyDaemonSet struct {
	Namespace, Name string
	Selector        map[string]string // the DaemonSet's matchLabels, to find its pods
	Container       string            // the container running kube-proxy
	Mode            string            // iptables, nftables, ipvs, ...
	ModeFrom        string            // where Mode was read, for the report
}

// String names the DaemonSet for evidence lines.
func (k KubeProxyDaemonSet) String() string { return k.Namespace + "/" + k.Name }

// KernelModes are the kube-proxy modes in which kube-proxy only programs
// the kernel (netfilter or IPVS) and is not itself in the packets' path.
var KernelModes = map[string]bool{"iptables": true, "nftables": true, "ipvs": true}

// Describe is one line for the report: what serves Services here.
func (p ServiceProxy) Describe() string {
	var parts []string
	if k := p.KubeProxy; k != nil {
		parts = append(parts, fmt.Sprintf("kube-proxy DaemonSet %s (container %s), mode %s (%s)", k, k.Container, k.Mode, k.ModeFrom))
	}
	if p.Replacement != "" {
		parts = append(parts, "kube-proxy replaced: "+p.Replacement)
	}
	if len(parts) == 0 {
		return "no DaemonSet runs kube-proxy and no known kube-proxy replacement is configured"
	}
	return strings.Join(parts, "; ")
}

// DetectServiceProxy reads the service proxy from the cluster's DaemonSets
// and the ConfigMaps of their namespaces. kube-proxy is recognised by what
// runs (its image or binary), not by a label: kubeadm labels it
// k8s-app=kube-proxy, other installers do not.
func DetectServiceProxy(daemonSets []appsv1.DaemonSet, configMaps []corev1.ConfigMap) ServiceProxy {
	var p ServiceProxy
	cms := map[string]*corev1.ConfigMap{}
	for i := range configMaps {
		cm := &configMaps[i]
		cms[cm.Namespace+"/"+cm.Name] = cm
	}
	var replaced []string
	for i := range daemonSets {
		ds := &daemonSets[i]
		if c := kubeProxyContainer(ds.Spec.Template.Spec); c != nil && p.KubeProxy == nil {
			mode, from := kubeProxyMode(ds, c, cms)
			p.KubeProxy = &KubeProxyDaemonSet{Namespace: ds.Namespace, Name: ds.Name, Container: c.Name, Mode: mode, ModeFrom: from}
			if ds.Spec.Selector != nil {
				p.KubeProxy.Selector = ds.Spec.Selector.MatchLabels
			}
		}
		if r := replacementOf(ds, cms); r != "" {
			replaced = append(replaced, r)
		}
	}
	sort.Strings(replaced)
	p.Replacement = strings.Join(replaced, "; ")
	return p
}

// imageName is the last path element of an image reference, without tag
// or digest: "registry.k8s.io/kube-proxy:v1.36.3" -> "kube-proxy".
func imageName(ref string) string {
	ref, _, _ = strings.Cut(ref, "@")
	name := path.Base(ref)
	name, _, _ = strings.Cut(name, ":")
	return name
}

func kubeProxyContainer(spec corev1.PodSpec) *corev1.Container {
	for i := range spec.Containers {
		c := &spec.Containers[i]
		if strings.HasSuffix(imageName(c.Image), "kube-proxy") { // kube-proxy, hardened-kube-proxy, ...
			return c
		}
		if len(c.Command) > 0 && path.Base(c.Command[0]) == "kube-proxy" {
			return c
		}
	}
	return nil
}

// flagValue finds --name=value or --name value in a command line.
func flagValue(args []string, name string) (string, bool) {
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			return v, true
		}
		if a == "--"+name && i+1 < len(args) {
			return args[i+1], true
		}
	}
	return "", false
}

// kubeProxyMode is the mode from --proxy-mode, else from the configuration
// file (--config) in the ConfigMap mounted there; unset means the Linux
// default, iptables.
func kubeProxyMode(ds *appsv1.DaemonSet, c *corev1.Container, cms map[string]*corev1.ConfigMap) (mode, from string) {
	args := append(append([]string{}, c.Command...), c.Args...)
	if m, ok := flagValue(args, "proxy-mode"); ok && m != "" {
		return m, "flag --proxy-mode of " + ds.Name
	}
	file, ok := flagValue(args, "config")
	if !ok {
		return "iptables", "no --proxy-mode or --config: the Linux default"
	}
	cm, key := mountedConfigMap(ds.Spec.Template.Spec, c, file)
	if cm == "" {
		return "", fmt.Sprintf("--config %s is not in a mounted ConfigMap: unknown", file)
	}
	obj := cms[ds.Namespace+"/"+cm]
	if obj == nil {
		return "", fmt.Sprintf("ConfigMap %s/%s (--config %s) not readable: unknown", ds.Namespace, cm, file)
	}
	var conf struct {
		Mode string `json:"mode"`
	}
	if err := yaml.Unmarshal([]byte(obj.Data[key]), &conf); err != nil {
		return "", fmt.Sprintf("ConfigMap %s/%s key %s: %v", ds.Namespace, cm, key, err)
	}
	if conf.Mode == "" {
		return "iptables", fmt.Sprintf("ConfigMap %s/%s key %s sets no mode: the Linux default", ds.Namespace, cm, key)
	}
	return conf.Mode, fmt.Sprintf("ConfigMap %s/%s key %s", ds.Namespace, cm, key)
}

// mountedConfigMap finds the ConfigMap volume mounted where file is, and
// the key file is (its path below the mount, or an item's path).
func mountedConfigMap(spec corev1.PodSpec, c *corev1.Container, file string) (name, key string) {
	for _, m := range c.VolumeMounts {
		rel, ok := strings.CutPrefix(file, strings.TrimSuffix(m.MountPath, "/")+"/")
		if !ok {
			continue
		}
		for _, v := range spec.Volumes {
			if v.Name != m.Name || v.ConfigMap == nil {
				continue
			}
			key = rel
			for _, it := range v.ConfigMap.Items {
				if it.Path == rel {
					key = it.Key
				}
			}
			return v.ConfigMap.Name, key
		}
	}
	return "", ""
}

// replacementOf says whether ds is a dataplane agent configured to serve
// Services itself, and by which setting.
func replacementOf(ds *appsv1.DaemonSet, cms map[string]*corev1.ConfigMap) string {
	for _, c := range ds.Spec.Template.Spec.Containers {
		img := imageName(c.Image)
		args := append(append([]string{}, c.Command...), c.Args...)
		switch {
		case img == "cilium":
			cm := cms[ds.Namespace+"/cilium-config"]
			if cm == nil {
				continue
			}
			// "true" since Cilium 1.14, "strict" before; "partial",
			// "probe", "false" leave ClusterIPs to kube-proxy.
			if v := cm.Data["kube-proxy-replacement"]; v == "true" || v == "strict" {
				return fmt.Sprintf("Cilium (ConfigMap %s/cilium-config kube-proxy-replacement=%s)", ds.Namespace, v)
			}
		case img == "kube-router":
			// kube-router's service proxy (IPVS) is on unless switched off.
			if v, ok := flagValue(args, "run-service-proxy"); !ok || v != "false" {
				return fmt.Sprintf("kube-router (DaemonSet %s/%s, service proxy on)", ds.Namespace, ds.Name)
			}
		case img == "antrea-agent-ubuntu" || img == "antrea-ubuntu" || img == "antrea-agent":
			if cm := cms[ds.Namespace+"/antrea-config"]; cm != nil && antreaProxyAll(cm.Data["antrea-agent.conf"]) {
				return fmt.Sprintf("Antrea (ConfigMap %s/antrea-config antreaProxy.proxyAll=true)", ds.Namespace)
			}
		case strings.HasPrefix(img, "ovn-kubernetes") || strings.HasPrefix(img, "ovn-daemonset"):
			return fmt.Sprintf("OVN-Kubernetes (DaemonSet %s/%s)", ds.Namespace, ds.Name)
		case img == "node" && strings.Contains(c.Image, "calico"):
			for _, e := range c.Env {
				if e.Name == "FELIX_BPFENABLED" && strings.EqualFold(e.Value, "true") {
					return fmt.Sprintf("Calico eBPF (DaemonSet %s/%s FELIX_BPFENABLED=true)", ds.Namespace, ds.Name)
				}
			}
		}
	}
	return ""
}

func antreaProxyAll(conf string) bool {
	var c struct {
		AntreaProxy struct {
			ProxyAll bool `json:"proxyAll"`
		} `json:"antreaProxy"`
	}
	return yaml.Unmarshal([]byte(conf), &c) == nil && c.AntreaProxy.ProxyAll
}

// KubeProxyHealthz tells whether body is the answer of a service proxy's
// health check on port 10256: kube-proxy answers
// {"lastUpdated": ..., "currentTime": ..., "nodeEligible": ...}, with 200 or
// 503. Cilium's replacement answers the same shape where it serves it, so
// this shows that a service proxy runs on the node, not which.
func KubeProxyHealthz(body string) bool {
	var h map[string]any
	if json.Unmarshal([]byte(body), &h) != nil {
		return false
	}
	_, updated := h["lastUpdated"]
	_, now := h["currentTime"]
	return updated && now
}
