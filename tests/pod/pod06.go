//go:build e2e

package pod

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// POD-06: containers in one pod share the network namespace and talk over
// localhost.
// MUST: container B reaches container A on 127.0.0.1:port (within
// world.ReachBound), and both use the same pod IP (A's local address and
// B's source address, B asking A on the pod IP, are the pod IP). The
// document and Kubernetes agree: each step is confirmed, or failed.
func pod06() features.Feature {
	var (
		chk     *verdict.Check
		sidecar kube.Prober
		podIP   string
	)
	return verdict.Claim("POD-06", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-pod06")
			image := harness.Current().ProbeImage
			spec := kube.PodSpec(kube.ProbeContainer("a", image, []int32{world.ServerPort}), kube.IdleContainer("b", image))
			p, err := c.CreatePodReady(ctx, kube.Pod(ns, "two-containers", nil, "", spec), 2*time.Minute)
			if err != nil {
				verdict.Fatal(t, err)
			}
			podIP = p.Status.PodIP
			sidecar = kube.Prober{C: c, NS: ns, Pod: p.Name, Container: "b", IP: podIP}
			return ctx
		}).
		Assess("SecondContainerReachesFirstOnLocalhost", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			url := fmt.Sprintf("http://127.0.0.1:%d/hostname", world.ServerPort)
			r, err := world.WaitHTTP(ctx, sidecar, url, world.ReachBound)
			world.Evidence(chk, sidecar, url+" (container b)", world.HTTPSummary(r))
			if err != nil || r.BackendCounts["two-containers"] != 1 {
				verdict.Fatalf(t, "container b did not reach container a on localhost: %s %v", world.HTTPSummary(r), err)
			}
			chk.Confirm("container b reached container a's server on %s", url)
			return ctx
		}).
		Assess("BothContainersUseThePodIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			seen := map[string]string{}
			for _, path := range []string{"clientip", "localaddr"} {
				url := fmt.Sprintf("http://%s:%d/%s", podIP, world.ServerPort, path)
				r, err := world.WaitHTTP(ctx, sidecar, url, world.ReachBound)
				host, _, _ := net.SplitHostPort(strings.TrimSpace(r.Body))
				world.Evidence(chk, sidecar, url, fmt.Sprintf("%s, %s=%s", world.HTTPSummary(r), path, host))
				switch {
				case err != nil:
					verdict.Errorf(t, "container b could not ask container a on the pod IP: %v", err)
				case host != podIP:
					verdict.Errorf(t, "%s: got %q, want the pod IP %s (container b's source / container a's local address)", path, host, podIP)
				}
				seen[path] = host
			}
			if !t.Failed() {
				chk.Confirm("container b's source address %s and container a's local address %s are both the pod IP", seen["clientip"], seen["localaddr"])
			}
			return ctx
		}).Feature()
}
