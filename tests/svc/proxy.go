//go:build e2e

package svc

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"sort"
	"strings"
	"time"

	"github.com/netconform/netconform/pkg/detect"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// kubeProxyHealthPort is kube-proxy's health check port (healthzBindAddress
// 0.0.0.0:10256 by default), which answers on the node's own addresses.
const kubeProxyHealthPort = 10256

// serviceProxy reads what serves Services here (pkg/detect) from every
// DaemonSet and the ConfigMaps of their namespaces.
func serviceProxy(ctx context.Context, c *kube.Client) (detect.ServiceProxy, []string, error) {
	dss, err := c.AppsV1().DaemonSets("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return detect.ServiceProxy{}, nil, fmt.Errorf("list daemonsets: %w", err)
	}
	var names []string
	namespaces := map[string]bool{}
	for _, d := range dss.Items {
		names = append(names, d.Namespace+"/"+d.Name)
		namespaces[d.Namespace] = true
	}
	sort.Strings(names)
	var cms []corev1.ConfigMap
	for ns := range namespaces {
		list, err := c.CoreV1().ConfigMaps(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			continue // unreadable: detection says which setting it could not read
		}
		cms = append(cms, list.Items...)
	}
	return detect.DetectServiceProxy(dss.Items, cms), names, nil
}

// kubeProxyPods are the pods of the kube-proxy DaemonSet, by node.
func kubeProxyPods(ctx context.Context, c *kube.Client, k *detect.KubeProxyDaemonSet) (map[string]*corev1.Pod, error) {
	list, err := c.CoreV1().Pods(k.Namespace).List(ctx, metav1.ListOptions{LabelSelector: labels.SelectorFromSet(k.Selector).String()})
	if err != nil {
		return nil, err
	}
	out := map[string]*corev1.Pod{}
	for i := range list.Items {
		p := &list.Items[i]
		if owner := metav1.GetControllerOf(p); owner == nil || owner.Kind != "DaemonSet" || owner.Name != k.Name {
			continue
		}
		if prev := out[p.Spec.NodeName]; prev == nil || (kube.PodReady(p) && !kube.PodReady(prev)) {
			out[p.Spec.NodeName] = p
		}
	}
	return out, nil
}

// rulesCommand dumps the rules kube-proxy writes in mode for ip's family;
// nil where kube-proxy's image has no tool that lists them by address (ipvs).
func rulesCommand(mode string, ip netip.Addr) []string {
	switch mode {
	case "iptables":
		if ip.Is6() {
			return []string{"ip6tables-save", "-t", "nat"}
		}
		return []string{"iptables-save", "-t", "nat"}
	case "nftables":
		family := "ip"
		if ip.Is6() {
			family = "ip6"
		}
		return []string{"nft", "list", "table", family, "kube-proxy"}
	}
	return nil
}

// translatesOn shows that the service proxy on node translates clusterIP:
// by the rules kube-proxy wrote there (read in its pod), else by its health
// answer on the node. It returns how it was seen.
func translatesOn(ctx context.Context, c *kube.Client, w *world.World, k *detect.KubeProxyDaemonSet, pod *corev1.Pod, clusterIP string) (string, error) {
	ip, err := netip.ParseAddr(clusterIP)
	if err != nil {
		return "", err
	}
	var readErr error
	if cmd := rulesCommand(k.Mode, ip); cmd != nil {
		var lines int
		err := kube.WaitFor(ctx, fmt.Sprintf("%s rules on node %s naming %s", k.Mode, pod.Spec.NodeName, clusterIP), world.ReachBound, func(ctx context.Context) (kube.Observation, error) {
			out, err := c.Exec(ctx, pod.Namespace, pod.Name, k.Container, cmd...)
			if err != nil {
				readErr = err
				return kube.Observation{Done: true}, nil // not readable: judged by what answers instead
			}
			readErr, lines = nil, 0
			for _, l := range strings.Split(out, "\n") {
				if strings.Contains(l, clusterIP) {
					lines++
				}
			}
			return kube.Observation{Done: lines > 0, Seen: fmt.Sprintf("%d lines of %s, none names %s", strings.Count(out, "\n"), strings.Join(cmd, " "), clusterIP)}, nil
		})
		if err != nil {
			return "", err
		}
		if readErr == nil {
			return fmt.Sprintf("%d lines of `%s` in %s name %s", lines, strings.Join(cmd, " "), pod.Name, clusterIP), nil
		}
	}
	how, err := healthAnswers(ctx, c, w.Client(pod.Spec.NodeName), pod.Spec.NodeName)
	if err != nil {
		return "", err
	}
	if readErr != nil {
		how = fmt.Sprintf("rules not readable in %s (%v); %s", pod.Name, firstLine(readErr.Error()), how)
	}
	return how, nil
}

// healthAnswers waits (world.ReachBound) until client, a pod on node, gets
// a service proxy's health answer from the node's own address.
func healthAnswers(ctx context.Context, c *kube.Client, client kube.Prober, node string) (string, error) {
	url, err := healthURL(ctx, c, node)
	if err != nil {
		return "", err
	}
	var body string
	err = kube.WaitFor(ctx, url+" answering as a service proxy", world.ReachBound, func(ctx context.Context) (kube.Observation, error) {
		r, err := client.HTTP(ctx, url, 1, "--timeout", "1s")
		body = strings.TrimSpace(r.Body)
		return kube.Observation{Done: err == nil && detect.KubeProxyHealthz(body), Seen: world.HTTPSummary(r) + " " + body}, err
	})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s -> %s = %s", client, url, body), nil
}

// healthURL is kube-proxy's health URL on node's InternalIP (IPv4 first).
func healthURL(ctx context.Context, c *kube.Client, node string) (string, error) {
	n, err := c.CoreV1().Nodes().Get(ctx, node, metav1.GetOptions{})
	if err != nil {
		return "", err
	}
	var addr string
	for _, a := range n.Status.Addresses {
		if a.Type == corev1.NodeInternalIP && (addr == "" || !strings.Contains(a.Address, ":")) {
			addr = a.Address
		}
	}
	if addr == "" {
		return "", fmt.Errorf("node %s has no InternalIP", node)
	}
	return fmt.Sprintf("http://%s/healthz", net.JoinHostPort(addr, fmt.Sprint(kubeProxyHealthPort))), nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// proxyWait bounds kube-proxy's pod leaving or coming back on a node
// (its DaemonSet rolls every node's pod for a template change).
const proxyWait = 3 * time.Minute
