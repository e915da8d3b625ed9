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
// insecure|verified`), `a-b-c-d.ns.pod.<zone>` resolves to the pod IP;
// otherwise the claim is not applicable.
func dns12(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-12", &chk).
		Assess("PodRecordResolvesToThePodIP", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			if !f.coredns.HasKubernetes {
				chk.NotApplicable(t, "no CoreDNS kubernetes plugin for "+f.zone+" found in kube-system/coredns: the DNS add-on is not CoreDNS or not readable")
			}
			if f.coredns.PodsMode == "disabled" {
				chk.NotApplicable(t, "CoreDNS's kubernetes plugin has `pods disabled`: this cluster serves no pod records")
			}
			chk.Evidence("CoreDNS kubernetes plugin: pods %s", f.coredns.PodsMode)
			ip := f.webPodIPs[0]
			name := strings.ReplaceAll(ip, ".", "-") + "." + f.ns + ".pod." + f.zone
			r := lookup(ctx, t, chk, f.local, name, "A")
			if !only(r.Answers, ip) {
				verdict.Errorf(t, "%s resolved to %v, want [%s]", name, r.Answers, ip)
			}
			return ctx
		}).Feature()
}
