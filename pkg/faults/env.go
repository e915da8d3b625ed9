package faults

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"sort"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Env is what every fault works with: the cluster's API, a shell into its
// nodes, and the nodes as they were when the self-test began.
type Env struct {
	Client  *kube.Client
	Cluster string // the kind cluster's name
	Shell   Shell
	Nodes   []Node // sorted by name
	Log     io.Writer
}

// Node is what faults need to know of one node.
type Node struct {
	Name         string
	Addresses    []netip.Addr   // InternalIPs
	PodCIDRs     []netip.Prefix // spec.podCIDRs
	ControlPlane bool
	Reserved     bool // kept for disruptive claims: no fault touches it
}

// Bound is how long a fault waits for a change of its own (a pod gone, a
// controller restarted) before it reports what it last saw.
const Bound = 3 * time.Minute

// NewEnv reads the nodes of the cluster c talks to.
func NewEnv(ctx context.Context, c *kube.Client, cluster string, shell Shell, log io.Writer) (*Env, error) {
	list, err := c.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("list nodes: %w", err)
	}
	env := &Env{Client: c, Cluster: cluster, Shell: shell, Log: log}
	for _, n := range list.Items {
		env.Nodes = append(env.Nodes, nodeOf(n))
	}
	sort.Slice(env.Nodes, func(i, j int) bool { return env.Nodes[i].Name < env.Nodes[j].Name })
	return env, nil
}

func nodeOf(n corev1.Node) Node {
	out := Node{Name: n.Name, Reserved: kube.Reserved(n)}
	_, out.ControlPlane = n.Labels["node-role.kubernetes.io/control-plane"]
	for _, a := range n.Status.Addresses {
		if ip, err := netip.ParseAddr(a.Address); err == nil && a.Type == corev1.NodeInternalIP {
			out.Addresses = append(out.Addresses, ip)
		}
	}
	for _, s := range n.Spec.PodCIDRs {
		if p, err := netip.ParsePrefix(s); err == nil {
			out.PodCIDRs = append(out.PodCIDRs, p.Masked())
		}
	}
	return out
}

// Targets are the nodes a fault "on every node" changes: all but the
// reserved one.
func (e *Env) Targets() []Node {
	var out []Node
	for _, n := range e.Nodes {
		if !n.Reserved {
			out = append(out, n)
		}
	}
	return out
}

// Worker is the node a fault "on one worker" changes: the last worker by
// name that is not reserved (the same on every run of one cluster).
func (e *Env) Worker() (Node, error) {
	for i := len(e.Nodes) - 1; i >= 0; i-- {
		if n := e.Nodes[i]; !n.Reserved && !n.ControlPlane {
			return n, nil
		}
	}
	return Node{}, fmt.Errorf("no worker node that is not reserved for disruptive claims")
}

// ControlPlanes are the nodes that run the control plane's static pods.
func (e *Env) ControlPlanes() []Node {
	var out []Node
	for _, n := range e.Nodes {
		if n.ControlPlane {
			out = append(out, n)
		}
	}
	return out
}

// PodCIDRsExcept lists the pod CIDRs of every node but name.
func (e *Env) PodCIDRsExcept(name string) []netip.Prefix {
	var out []netip.Prefix
	for _, n := range e.Nodes {
		if n.Name != name {
			out = append(out, n.PodCIDRs...)
		}
	}
	return out
}

func (e *Env) logf(format string, args ...any) {
	if e.Log != nil {
		fmt.Fprintf(e.Log, "[fault] "+format+"\n", args...)
	}
}
