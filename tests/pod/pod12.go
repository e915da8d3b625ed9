//go:build e2e

package pod

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
	"sort"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/detect"
	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// POD-12: Kubernetes "gives containers their own IP addresses" (document 004).
// MUST: an IP belongs to a pod, not to a container. Two containers of one
// pod, each serving HTTP on its own port, report the same addresses: the
// kernel's list of each container's network namespace (/proc/net/fib_trie
// and if_inet6, read by exec in that container) is the same single set,
// equal to the pod's status.podIPs; and each container's server, asked
// by the other container on the pod IP, sees the pod IP as both its local
// and the client's address. That refutes document 004. Containers with
// addresses of their own would contradict Kubernetes too (containers of
// a pod share its network namespace), so that branch is failed, never
// confirmed.
func pod12() features.Feature {
	var (
		chk   *verdict.Check
		a, b  kube.Prober
		podIP []string
	)
	const portA, portB = world.ServerPort, world.ServerPort + 1
	return verdict.Claim("POD-12", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-pod12")
			image := harness.Current().ProbeImage
			spec := kube.PodSpec(kube.ProbeContainer("a", image, []int32{portA}), kube.ProbeContainer("b", image, []int32{portB}))
			p, err := c.CreatePodReady(ctx, kube.Pod(ns, "two-containers", nil, "", spec), 2*time.Minute)
			if err != nil {
				verdict.Fatal(t, err)
			}
			for _, ip := range p.Status.PodIPs {
				podIP = append(podIP, ip.IP)
			}
			a = kube.Prober{C: c, NS: ns, Pod: p.Name, Container: "a", IP: p.Status.PodIP}
			b = kube.Prober{C: c, NS: ns, Pod: p.Name, Container: "b", IP: p.Status.PodIP}
			return ctx
		}).
		Assess("BothContainersReportTheOnePodIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			chk.Evidence("pod two-containers: status.podIPs %v", podIP)
			want := fmt.Sprint(sortedAddrs(podIP))
			sets := map[string]string{}
			for _, p := range []kube.Prober{a, b} {
				addrs, err := containerAddrs(ctx, p)
				if err != nil {
					verdict.Fatalf(t, "read the addresses of container %s: %v", p.Container, err)
				}
				sets[p.Container] = fmt.Sprint(addrs)
				chk.Evidence("container %s: its network namespace holds %v (/proc/net/fib_trie, if_inet6; loopback and link-local left out)", p.Container, addrs)
			}
			if sets["a"] != sets["b"] {
				verdict.Fatalf(t, "containers a and b hold different addresses (%s and %s): they do not share the pod's network namespace, as Kubernetes requires", sets["a"], sets["b"])
			}
			if sets["a"] != want {
				verdict.Fatalf(t, "the containers hold %s, not the pod's status.podIPs %s", sets["a"], want)
			}
			// Each container's server, asked by the other on the pod IP.
			for _, x := range []struct {
				asker kube.Prober
				port  int
				owner string
			}{{a, portB, "b"}, {b, portA, "a"}} {
				url := fmt.Sprintf("http://%s/info", net.JoinHostPort(a.IP, fmt.Sprint(x.port)))
				r, err := world.WaitHTTP(ctx, x.asker, url, world.ReachBound)
				var info probe.Info
				if err == nil {
					err = json.Unmarshal([]byte(r.Body), &info)
				}
				local, _, _ := net.SplitHostPort(info.Local)
				client, _, _ := net.SplitHostPort(info.Client)
				world.Evidence(chk, x.asker, url+" (container "+x.owner+"'s server)", fmt.Sprintf("%s, local %s, client %s", world.HTTPSummary(r), local, client))
				switch {
				case err != nil:
					verdict.Fatalf(t, "container %s could not ask container %s's server on the pod IP: %v", x.asker.Container, x.owner, err)
				case local != a.IP || client != a.IP:
					verdict.Fatalf(t, "container %s's server saw local %s and client %s, want the pod IP %s for both", x.owner, local, client, a.IP)
				}
			}
			chk.Refute("containers a and b of one pod both hold exactly %s, the pod's IP, and each one's server sees it as local and client address: the IP is the pod's, not each container's", want)
			return ctx
		}).Feature()
}

// containerAddrs reads the addresses of p's network namespace from inside
// its container. if_inet6 is missing where IPv6 is off: no IPv6 address.
func containerAddrs(ctx context.Context, p kube.Prober) ([]netip.Addr, error) {
	fib, err := p.Cat(ctx, "/proc/net/fib_trie")
	if err != nil {
		return nil, err
	}
	if fib == "" {
		return nil, fmt.Errorf("/proc/net/fib_trie in container %s read empty", p.Container)
	}
	inet6, _ := p.Cat(ctx, "/proc/net/if_inet6")
	return detect.NetnsAddrs(fib, inet6), nil
}

func sortedAddrs(ss []string) []netip.Addr {
	var out []netip.Addr
	for _, s := range ss {
		if a, err := netip.ParseAddr(s); err == nil {
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Less(out[j]) })
	return out
}
