//go:build e2e

package ext

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// EXT-08: IPv6 and dual-stack clusters: the same claims per IP family.
// MUST (env): on a dual-stack or IPv6 cluster, Services get an IPv6
// ClusterIP and pods an IPv6 address that answers; on a single-stack IPv4
// cluster the claim is not applicable, as detected from the nodes' pod CIDRs
// and the service CIDRs.
func ext08() features.Feature {
	var chk *verdict.Check
	return verdict.Claim("EXT-08", &chk).
		Assess("IPv6ServicesAndPodsWork", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c := world.Client()
			nodes, err := c.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
			if err != nil {
				verdict.Fatal(t, err)
			}
			cidrs, _ := world.ServiceCIDRs(ctx, c)
			v6 := false
			var podCIDRs []string
			for _, n := range nodes.Items {
				for _, p := range n.Spec.PodCIDRs {
					podCIDRs = append(podCIDRs, p)
					v6 = v6 || isV6(p)
				}
			}
			chk.Evidence("node pod CIDRs %v; service CIDRs %v", podCIDRs, cidrs)
			if !v6 {
				chk.NotApplicable(t, fmt.Sprintf("single-stack IPv4 cluster: node pod CIDRs %v, service CIDRs %v", podCIDRs, cidrs))
			}
			_, ns := world.OwnNamespace(ctx, t, "nc-ext08")
			labels := map[string]string{"app": "v6"}
			pods := world.Deploy(ctx, t, c, ns, "v6", 1, labels, world.Server([]int32{world.ServerPort}))
			policy := corev1.IPFamilyPolicyPreferDualStack
			svc := kube.Service(ns, "v6", "", labels, kube.ServicePort("http", 80, world.ServerPort))
			svc.Spec.IPFamilyPolicy = &policy
			created := world.CreateService(ctx, t, c, svc)
			client := world.StartClient(ctx, t, c, ns, "client", "")
			var v6IP string
			for _, ip := range created.Spec.ClusterIPs {
				if isV6(ip) {
					v6IP = ip
				}
			}
			chk.Evidence("service v6: clusterIPs %v; pod IPs %v", created.Spec.ClusterIPs, pods[0].Status.PodIPs)
			if v6IP == "" {
				verdict.Fatalf(t, "the Service got no IPv6 ClusterIP: %v", created.Spec.ClusterIPs)
			}
			url := fmt.Sprintf("http://[%s]/hostname", v6IP)
			r, err := world.WaitHTTP(ctx, client, url, time.Minute)
			world.Evidence(chk, client, url, world.HTTPSummary(r))
			if err != nil {
				verdict.Error(t, err)
			}
			return ctx
		}).Feature()
}

func isV6(s string) bool {
	for _, ch := range s {
		if ch == ':' {
			return true
		}
	}
	return false
}
