//go:build e2e

package dns

import (
	"context"
	"fmt"
	"strings"

	"github.com/netconform/netconform/pkg/detect"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// nodeLocalDNS finds NodeLocal DNSCache in kube-system: a DaemonSet (by the
// add-on's names or its k8s-app=node-local-dns label) and a ConfigMap whose
// Corefile serves the cluster zone. It returns the parsed config (nil: no
// cache runs) and what was found, for the evidence.
func (f *fixture) nodeLocalDNS(ctx context.Context) (*detect.NodeLocalDNS, string) {
	var ds []string
	if list, err := f.c.AppsV1().DaemonSets("kube-system").List(ctx, metav1.ListOptions{}); err == nil {
		for _, d := range list.Items {
			for _, name := range detect.NodeLocalConfigMaps {
				if d.Name == name || d.Labels["k8s-app"] == "node-local-dns" {
					ds = append(ds, fmt.Sprintf("DaemonSet kube-system/%s %d/%d ready", d.Name, d.Status.NumberReady, d.Status.DesiredNumberScheduled))
					break
				}
			}
		}
	}
	for _, name := range detect.NodeLocalConfigMaps {
		cm, err := f.c.CoreV1().ConfigMaps("kube-system").Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			continue
		}
		nl, ok := detect.ParseNodeLocalDNS(cm.Data["Corefile"], f.zone)
		switch {
		case !ok:
			return nil, fmt.Sprintf("ConfigMap kube-system/%s has no server block for %s", name, f.zone)
		case len(ds) == 0:
			return nil, fmt.Sprintf("ConfigMap kube-system/%s, but no DaemonSet runs it", name)
		}
		return &nl, fmt.Sprintf("ConfigMap kube-system/%s (bind %s, forward %s), %s", name, strings.Join(nl.Binds, " "), strings.Join(nl.Upstreams, " "), strings.Join(ds, ", "))
	}
	return nil, "none (no ConfigMap kube-system/" + strings.Join(detect.NodeLocalConfigMaps, " or ") + ")"
}

// serviceIP is a Service's ClusterIP, "" where there is no such Service.
func (f *fixture) serviceIP(ctx context.Context, ns, name string) string {
	svc, err := f.c.CoreV1().Services(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return ""
	}
	return svc.Spec.ClusterIP
}
