//go:build e2e

package dns

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// DNS-20: document 003 says names are `<host name>.<namespace>.<type>.<root>`,
// the type `pod` for pods.
// MUST (env): where the cluster DNS serves pod records (decided as for
// DNS-12, from the Corefile; else not applicable), they are keyed by the
// dashed IP: `a-b-c-d.<ns>.pod.<zone>.` resolves to the pod IP (the positive
// control), while `<pod hostname>.<ns>.pod.<zone>.`, asked by the same
// client, is NXDOMAIN in every look for negativeFor. A pod's host-name
// record exists as `<hostname>.<subdomain>.<ns>.svc.<zone>.` under a
// headless Service named as its subdomain, which must resolve to the pod IP.
// NXDOMAIN for the host-name pod record refutes the document; the pod IP
// for it would confirm it (a DNS add-on serving names Kubernetes does not
// define); any other answer, or a positive that does not hold, fails.
func dns20(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-20", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			f.dnsFacts(t)
			return ctx
		}).
		Assess("PodRecordsAreKeyedByIPNotHostName", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			f.needPodRecords(t, chk)
			c, ns := world.OwnNamespace(ctx, t, "nc-dns20")
			image := harness.Current().ProbeImage
			labels := map[string]string{"app": "dbs"}
			spec := steadyServer([]int32{world.ServerPort})
			spec.Hostname, spec.Subdomain = "db-0", "dbs"
			headless := kube.Service(ns, "dbs", "", labels, kube.ServicePort("http", 80, world.ServerPort))
			headless.Spec.ClusterIP = corev1.ClusterIPNone
			world.CreateService(ctx, t, c, headless)
			pods, err := world.CreatePodsReady(ctx, c, []*corev1.Pod{kube.Pod(ns, "db", labels, "", spec),
				kube.Pod(ns, "client", map[string]string{"role": "client"}, "", kube.PodSpec(kube.IdleContainer("client", image)))}, 2*time.Minute)
			if err != nil {
				verdict.Fatal(t, err)
			}
			ip := pods[0].Status.PodIP
			client := kube.Prober{C: c, NS: ns, Pod: "client", Container: "client", IP: pods[1].Status.PodIP}
			chk.Evidence("pod %s/db (hostname %s, subdomain %s) has IP %s", ns, spec.Hostname, spec.Subdomain, ip)

			dashed := strings.ReplaceAll(ip, ".", "-") + "." + ns + ".pod." + f.zone + "."
			if _, ok := resolves(ctx, t, chk, client, dashed, "A", f.recordBound(), is(ip)); !ok {
				verdict.Fatalf(t, "the positive control %s did not resolve to the pod IP %s, so no answer for the host name would mean anything", dashed, ip)
			}
			byHost := spec.Hostname + "." + ns + ".pod." + f.zone + "."
			n, err := nxdomain(ctx, t, chk, client, byHost, "A")
			if err != nil {
				verdict.Fatalf(t, "%v", err)
			}
			if err := world.WaitEndpoints(ctx, c, ns, "dbs", 1); err != nil {
				verdict.Fatal(t, err)
			}
			underSvc := spec.Hostname + "." + spec.Subdomain + "." + ns + ".svc." + f.zone + "."
			_, hostRecord := resolves(ctx, t, chk, client, underSvc, "A", f.recordBound(), is(ip))
			switch {
			case !hostRecord:
			case n.other == nil:
				chk.Refute("%s is NXDOMAIN (%s) while %s resolves to the pod IP %s; the host name has a record only under the headless Service: %s -> %s", byHost, n, dashed, ip, underSvc, ip)
			case only(n.other.Answers, ip):
				chk.Confirm("%s resolves to the pod IP %s, as document 003 says", byHost, ip)
			default:
				verdict.Errorf(t, "%s: neither NXDOMAIN nor the pod IP %s: %s", byHost, ip, dnsSummary(*n.other))
			}
			return ctx
		}).Feature()
}
