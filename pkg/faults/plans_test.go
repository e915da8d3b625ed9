package faults

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

// testEnv is a control plane, two workers and the reserved worker.
func testEnv(shell Shell) *Env {
	node := func(name, ip, cidr string, cp, reserved bool) Node {
		return Node{Name: name, Addresses: []netip.Addr{netip.MustParseAddr(ip)}, PodCIDRs: []netip.Prefix{netip.MustParsePrefix(cidr)}, ControlPlane: cp, Reserved: reserved}
	}
	dns := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: corednsNS, Name: "coredns-a", Labels: map[string]string{"k8s-app": "kube-dns"}},
		Status: corev1.PodStatus{PodIPs: []corev1.PodIP{{IP: "10.244.1.7"}}}}
	return &Env{Shell: shell, Client: &kube.Client{Interface: fake.NewSimpleClientset(dns)}, Nodes: []Node{
		node("nc-control-plane", "172.18.0.2", "10.244.0.0/24", true, false),
		node("nc-worker", "172.18.0.3", "10.244.1.0/24", false, false),
		node("nc-worker2", "172.18.0.4", "10.244.2.0/24", false, false),
		node("nc-worker3", "172.18.0.5", "10.244.3.0/24", false, true),
	}}
}

func commandsOn(cmds []string, node string) []string {
	var out []string
	for _, c := range cmds {
		if strings.HasPrefix(c, node+": ") {
			out = append(out, strings.TrimPrefix(c, node+": "))
		}
	}
	return out
}

// The rule-set faults planned from the nodes alone leave the reserved
// node as it is (they only read its addresses).
func TestFaultsNeverTouchTheReservedNode(t *testing.T) {
	for _, name := range []string{"pod-to-pod-snat", "same-node-pod-traffic-dropped", "cross-node-pod-traffic-dropped", "node-to-remote-pods-dropped"} {
		shell := &fakeShell{output: map[string]string{"nc-": "1\n"}} // bridge netfilter on
		f := byName(t, Catalogue(testEnv(shell)), name)
		assert.NilError(t, f.Apply(context.Background()), name)
		for _, c := range commandsOn(shell.cmds, "nc-worker3") {
			assert.Assert(t, strings.HasPrefix(c, "ip -o addr show"), "%s changes the reserved node: %s", name, c)
		}
	}
}

func byName(t *testing.T, faults []Fault, name string) Fault {
	t.Helper()
	for _, f := range faults {
		if f.Name() == name {
			return f
		}
	}
	t.Fatalf("no fault %s", name)
	return nil
}

func TestSNATOnEveryTargetToEveryPodCIDR(t *testing.T) {
	shell := &fakeShell{}
	f := &podTrafficSNAT{iptablesFault{env: testEnv(shell)}}
	assert.NilError(t, f.Apply(context.Background()))
	on := commandsOn(shell.cmds, "nc-worker")
	assert.Assert(t, is.Contains(on, "iptables -w -t nat -A NC-SELFTEST-SNAT -s 10.244.1.0/24 -d 10.244.3.0/24 -j MASQUERADE"))
	assert.Assert(t, is.Contains(on, "iptables -w -t nat -I POSTROUTING 1 -m comment --comment netconform-selftest -j NC-SELFTEST-SNAT"))
	assert.Equal(t, len(f.applied), 3, "control plane and both workers")
}

// One worker drops traffic between its pods and the others', both ways,
// except the other nodes' own addresses in pod ranges and the CoreDNS pods.
func TestCrossNodeDropOnOneWorker(t *testing.T) {
	shell := &fakeShell{output: map[string]string{"nc-control-plane: ip -o addr show": "4: flannel.1    inet 10.244.0.0/32 scope global flannel.1\n"}}
	f := &crossNodePodTrafficDropped{iptablesFault{env: testEnv(shell)}}
	assert.NilError(t, f.Apply(context.Background()))
	assert.DeepEqual(t, sortedKeys(f.applied), []string{"nc-worker2"})
	rules := f.applied["nc-worker2"][0].Rules
	assert.DeepEqual(t, rules[:4], [][]string{{"-s", "10.244.0.0/32", "-j", "RETURN"}, {"-d", "10.244.0.0/32", "-j", "RETURN"},
		{"-s", "10.244.1.7/32", "-j", "RETURN"}, {"-d", "10.244.1.7/32", "-j", "RETURN"}})
	assert.DeepEqual(t, rules[4:6], [][]string{{"-s", "10.244.2.0/24", "-d", "10.244.0.0/24", "-j", "DROP"}, {"-s", "10.244.0.0/24", "-d", "10.244.2.0/24", "-j", "DROP"}})
	assert.Equal(t, len(rules), 4+2*3)
}

func TestNodeToPodDropsOnlyNewConnectionsFromTheNode(t *testing.T) {
	shell := &fakeShell{}
	f := &nodeToRemotePodsDropped{iptablesFault{env: testEnv(shell)}}
	assert.NilError(t, f.Apply(context.Background()))
	rs := f.applied["nc-worker2"][0]
	assert.DeepEqual(t, rs.Hooks, []string{"OUTPUT"})
	assert.DeepEqual(t, rs.Rules[0], []string{"-m", "conntrack", "--ctstate", "NEW", "-d", "10.244.0.0/24", "-j", "DROP"})
	for _, r := range rs.Rules {
		assert.Assert(t, !strings.Contains(strings.Join(r, " "), "10.244.2.0/24"), "its own pods stay reachable (kubelet probes): %v", r)
	}
}

func TestSameNodeDropRefusesWithoutBridgeNetfilter(t *testing.T) {
	shell := &fakeShell{output: map[string]string{"nc-": "0\n"}}
	f := &sameNodePodTrafficDropped{iptablesFault{env: testEnv(shell)}}
	assert.ErrorContains(t, f.Apply(context.Background()), "bridge-nf-call-iptables")
}
