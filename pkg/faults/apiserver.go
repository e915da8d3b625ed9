package faults

import (
	"context"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// apiServerFlags reads the command line of a kube-apiserver static pod
// (kubeadm's, as kind runs it).
func (e *Env) apiServerFlags(ctx context.Context) ([]string, error) {
	pods, err := e.Client.CoreV1().Pods("kube-system").List(ctx, metav1.ListOptions{LabelSelector: "component=kube-apiserver"})
	if err != nil {
		return nil, err
	}
	for _, p := range pods.Items {
		for _, c := range p.Spec.Containers {
			if c.Name == "kube-apiserver" {
				return append(clone(c.Command), c.Args...), nil
			}
		}
	}
	return nil, fmt.Errorf("no kube-apiserver pod (label component=kube-apiserver) in kube-system")
}

func flagValue(args []string, name string) (string, bool) {
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			return v, true
		}
	}
	return "", false
}

// nodePortRange is --service-node-port-range, or its default.
func nodePortRange(args []string) (lo, hi int, err error) {
	v, ok := flagValue(args, "service-node-port-range")
	if !ok {
		return 30000, 32767, nil
	}
	a, b, found := strings.Cut(v, "-")
	if !found { // a single port is a range of one
		b = a
	}
	if lo, err = strconv.Atoi(strings.TrimSpace(a)); err == nil {
		hi, err = strconv.Atoi(strings.TrimSpace(b))
	}
	if err != nil || lo > hi {
		return 0, 0, fmt.Errorf("--service-node-port-range=%s is not a range", v)
	}
	return lo, hi, nil
}

// serviceCIDRs are the ranges ClusterIPs come from: the ServiceCIDR objects,
// or kube-apiserver's --service-cluster-ip-range where there are none.
func (e *Env) serviceCIDRs(ctx context.Context) ([]netip.Prefix, error) {
	var raw []string
	list, err := e.Client.NetworkingV1().ServiceCIDRs().List(ctx, metav1.ListOptions{})
	if err == nil {
		for _, s := range list.Items {
			raw = append(raw, s.Spec.CIDRs...)
		}
	}
	if len(raw) == 0 {
		args, err := e.apiServerFlags(ctx)
		if err != nil {
			return nil, err
		}
		v, _ := flagValue(args, "service-cluster-ip-range")
		raw = strings.Split(v, ",")
	}
	var out []netip.Prefix
	for _, s := range raw {
		if p, err := netip.ParsePrefix(strings.TrimSpace(s)); err == nil {
			out = append(out, p.Masked())
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no service CIDR found (ServiceCIDR objects, --service-cluster-ip-range)")
	}
	return out, nil
}
