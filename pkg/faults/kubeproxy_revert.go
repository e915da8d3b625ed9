package faults

import (
	"context"
	"fmt"
	"strings"

	"github.com/netconform/netconform/pkg/kube"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"
)

func (f *kubeProxyRemoved) Revert(ctx context.Context) error {
	if f.labels == nil {
		return nil
	}
	c := f.env.Client
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		ds, err := c.AppsV1().DaemonSets(f.k.Namespace).Get(ctx, f.k.Name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		ds.Spec.Template.Spec.Affinity = f.affinity
		_, err = c.AppsV1().DaemonSets(f.k.Namespace).Update(ctx, ds, metav1.UpdateOptions{})
		return err
	})
	if err != nil {
		return fmt.Errorf("put kube-proxy's DaemonSet affinity back: %w", err)
	}
	for _, node := range sortedKeys(f.labels) {
		if err := kube.LabelNode(ctx, c, node, SelftestLabel, f.labels[node]); err != nil {
			return err
		}
	}
	err = kube.WaitFor(ctx, "kube-proxy ready again on every node", Bound, func(ctx context.Context) (kube.Observation, error) {
		pods, err := f.pods(ctx)
		if err != nil {
			return kube.Observation{}, err
		}
		var missing []string
		for _, n := range f.env.Targets() {
			if p, ok := pods[n.Name]; !ok || !kube.PodReady(&p) {
				missing = append(missing, n.Name)
			}
		}
		return kube.Observation{Done: len(missing) == 0, Seen: "no ready kube-proxy pod on " + strings.Join(missing, ", ")}, nil
	})
	if err != nil {
		return err
	}
	if err := f.waitRolledOut(ctx); err != nil {
		return err
	}
	err = kube.WaitFor(ctx, "kube-proxy's rules back on every node", Bound, func(ctx context.Context) (kube.Observation, error) {
		present, _, seen, err := f.rules(ctx)
		return kube.Observation{Done: present, Seen: strings.Join(seen, "; ")}, err
	})
	if err != nil {
		return err
	}
	f.clearDNSConntrack(ctx)
	f.labels = nil
	return nil
}

// clearDNSConntrack is best effort: a node without conntrack(8), or without
// such entries, is fine.
func (f *kubeProxyRemoved) clearDNSConntrack(ctx context.Context) {
	svc, err := f.env.Client.CoreV1().Services(corednsNS).Get(ctx, "kube-dns", metav1.GetOptions{})
	if err != nil || svc.Spec.ClusterIP == "" {
		return
	}
	for _, n := range f.env.Targets() {
		_, _ = sh(ctx, f.env.Shell, n.Name, "command -v conntrack >/dev/null && conntrack -D -p udp --orig-dst "+svc.Spec.ClusterIP+" >/dev/null 2>&1; true")
	}
}
