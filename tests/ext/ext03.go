//go:build e2e

package ext

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// EXT-03: UDP service through a ClusterIP.
// MUST: once the Service's EndpointSlice lists the world's servers (waited
// for through the API), datagrams to clusterIP:53/UDP reach the pods' UDP
// echo on 5353 and come back from those servers (the echo names the pod),
// every server answering at least once within world.ReachBound: confirmed;
// otherwise failed. Each datagram leaves from a new socket, so the proxy
// picks a backend for each; a server that never echoes is a path that is
// broken, whichever it is (one socket's datagrams keep one backend, so
// "some server answered" changed with the proxy's pick under a fault).
func ext03(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("EXT-03", &chk).
		Assess("UDPEchoAnswersThroughTheClusterIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			w.Wait(t)
			port := kube.ServicePort("dns", 53, world.UDPPort)
			port.Protocol = corev1.ProtocolUDP
			svc := world.CreateService(ctx, t, w.C, kube.Service(w.NS, "ext03-udp", "", map[string]string{"app": "server"}, port))
			if err := world.WaitEndpoints(ctx, w.C, w.NS, svc.Name, len(w.Servers)); err != nil {
				verdict.Fatal(t, err)
			}
			client := w.AnyClient()
			answered := map[string]int{} // every server, and how many datagrams it echoed
			for _, s := range w.Servers {
				answered[s.Pod] = 0
			}
			addr := fmt.Sprintf("%s:53", svc.Spec.ClusterIP)
			sent, echoed, strangers := 0, 0, map[string]int{}
			err := kube.WaitFor(ctx, "udp "+addr+" echoed by every server", world.ReachBound, func(ctx context.Context) (kube.Observation, error) {
				r, err := client.Dial(ctx, "udp", addr, 2*len(w.Servers))
				if err != nil {
					return kube.Observation{}, err // the probe did not run: try again
				}
				sent, echoed = sent+r.Tries, echoed+r.OK
				for b, n := range r.BackendCounts {
					if _, ours := answered[b]; ours {
						answered[b] += n
					} else {
						strangers[b] += n
					}
				}
				return kube.Observation{Done: !slices.Contains(slices.Collect(maps.Values(answered)), 0), Seen: fmt.Sprintf("%d/%d datagrams echoed, by %s", echoed, sent, world.Counts(answered))}, nil
			})
			world.Evidence(chk, client, "udp "+addr+" (targetPort 5353)", fmt.Sprintf("%d/%d datagrams echoed, by %s", echoed, sent, world.Counts(answered)))
			if err != nil {
				verdict.Fatal(t, err)
			}
			if len(strangers) > 0 {
				verdict.Fatalf(t, "datagrams to %s came back from pods that are not the Service's: %s", addr, world.Counts(strangers))
			}
			chk.Backends(answered)
			chk.Confirm("UDP datagrams to ClusterIP %s came back from every one of the world's servers: %s (%d/%d echoed)", addr, world.Counts(answered), echoed, sent)
			return ctx
		}).Feature()
}
