//go:build e2e

package dns

import (
	"context"
	"strings"
	"testing"

	"github.com/netconform/netconform/pkg/verdict"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// DNS-12: optionally, pods get DNS entries too.
// MUST (env): where the DNS add-on serves pod records (CoreDNS `pods
// insecure|verified`), `a-b-c-d.ns.pod.<zone>` resolves to the pod IP
// (confirmed); where it serves none (`pods disabled`, the default) or is
// not a readable CoreDNS, the claim is not applicable, with that reason.
func dns12(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-12", &chk).
		Setup(f.setup).
		Assess("PodRecordResolvesToThePodIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			f.needPodRecords(t, chk)
			ip := f.webPodIPs[0]
			name := strings.ReplaceAll(ip, ".", "-") + "." + f.ns + ".pod." + f.zone + "."
			if _, ok := resolves(ctx, t, chk, f.local, name, "A", f.recordBound(), is(ip)); ok {
				chk.Confirm("with CoreDNS `pods %s`, %s resolves to the pod IP %s", f.coredns.PodsMode, name, ip)
			}
			return ctx
		}).Feature()
}

// needPodRecords ends the step as not applicable where the cluster DNS
// serves no pod records (DNS-12, DNS-20): decided from the Corefile.
func (f *fixture) needPodRecords(t *testing.T, chk *verdict.Check) {
	t.Helper()
	if !f.coredns.HasKubernetes {
		chk.NotApplicable(t, "no CoreDNS kubernetes plugin for "+f.zone+" found in kube-system/coredns: the DNS add-on is not CoreDNS or not readable")
	}
	if f.coredns.PodsMode == "disabled" {
		chk.NotApplicable(t, "CoreDNS's kubernetes plugin has `pods disabled`: this cluster serves no pod records")
	}
	chk.Evidence("CoreDNS kubernetes plugin: pods %s", f.coredns.PodsMode)
}
