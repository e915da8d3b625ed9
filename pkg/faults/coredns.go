package faults

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/netconform/netconform/pkg/kube"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// CoreDNS as kubeadm (and so kind) installs it.
const (
	corednsNS         = "kube-system"
	corednsDeployment = "coredns"
	corednsConfigMap  = "coredns"
	corednsSelector   = "k8s-app=kube-dns"
)

func (e *Env) corednsPods(ctx context.Context) ([]corev1.Pod, error) {
	list, err := e.Client.CoreV1().Pods(corednsNS).List(ctx, metav1.ListOptions{LabelSelector: corednsSelector})
	if err != nil {
		return nil, err
	}
	return list.Items, nil
}

// restartCoreDNS deletes every CoreDNS pod, so that the replacements read
// the Corefile as it is now (faster than the reload plugin, which waits
// for the kubelet to resync the volume), and waits until the Deployment
// is rolled out again with none of the deleted pods left.
func (e *Env) restartCoreDNS(ctx context.Context) error {
	pods, err := e.corednsPods(ctx)
	if err != nil {
		return err
	}
	old := map[types.UID]bool{}
	for _, p := range pods {
		old[p.UID] = true
		if err := e.Client.CoreV1().Pods(corednsNS).Delete(ctx, p.Name, metav1.DeleteOptions{}); err != nil {
			return fmt.Errorf("delete CoreDNS pod %s: %w", p.Name, err)
		}
	}
	err = kube.WaitFor(ctx, "CoreDNS pods replaced", Bound, func(ctx context.Context) (kube.Observation, error) {
		pods, err := e.corednsPods(ctx)
		if err != nil {
			return kube.Observation{}, err
		}
		var left []string
		for _, p := range pods {
			if old[p.UID] {
				left = append(left, kube.DescribePod(&p))
			}
		}
		return kube.Observation{Done: len(left) == 0, Seen: "old pods left: " + strings.Join(left, "; ")}, nil
	})
	if err != nil {
		return err
	}
	return e.Client.WaitRolledOut(ctx, corednsNS, corednsDeployment, Bound)
}

// podRecordAnswers asks every ready CoreDNS pod, from the node's own
// network namespace (a node reaches pods; socat is in kind's node image),
// for the pod record of that pod's own IPv4 address, and reports each
// answer: "NXDOMAIN", "NOERROR A 10.244.0.3", ...
func (e *Env) podRecordAnswers(ctx context.Context, zone string) (map[string]string, error) {
	pods, err := e.corednsPods(ctx)
	if err != nil {
		return nil, err
	}
	targets := e.Targets()
	if len(targets) == 0 {
		return nil, fmt.Errorf("no node to ask from")
	}
	from := targets[0].Name
	out := map[string]string{}
	for _, p := range pods {
		ip, err := netip.ParseAddr(p.Status.PodIP)
		if !kube.PodReady(&p) || err != nil || !ip.Is4() {
			continue
		}
		name := strings.ReplaceAll(ip.String(), ".", "-") + "." + p.Namespace + ".pod." + zone
		answer, err := e.askDNS(ctx, from, ip, name)
		if err != nil {
			return nil, err
		}
		out[p.Name+" ("+ip.String()+") for "+name] = answer
	}
	return out, nil
}

// dnsPodIPs are the CoreDNS pods' IPs. The pod-network faults let traffic
// to and from them pass: where the scheduler put CoreDNS (moved by every
// CoreDNS fault's revert) must not decide which DNS claims a broken pair of
// pods changes; the DNS path has faults of its own.
func (e *Env) dnsPodIPs(ctx context.Context) ([]netip.Addr, error) {
	pods, err := e.corednsPods(ctx)
	if err != nil {
		return nil, err
	}
	var out []netip.Addr
	for _, p := range pods {
		for _, ip := range p.Status.PodIPs {
			if a, err := netip.ParseAddr(ip.IP); err == nil {
				out = append(out, a)
			}
		}
	}
	return out, nil
}
