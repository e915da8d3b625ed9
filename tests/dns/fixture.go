//go:build e2e

package dns

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/corefile"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// fixture is shared by the read-only DNS claims: the run's world of probe
// pods, a ClusterIP Service "web" (ports 80 and 8080) and a headless
// "web-headless" over its servers, a client beside them and the world's
// client in another namespace.
type fixture struct {
	c           *kube.Client
	ns, otherNS string
	web         *corev1.Service
	webPodIPs   []string
	local       kube.Prober // in ns
	remote      kube.Prober // in otherNS
	zone        string
	kubeDNSIP   string
	coredns     corefile.Facts
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	w := world.New(t).Wait(t)
	f := &fixture{c: w.C, ns: w.NS, otherNS: w.OtherNS, local: w.AnyClient(), remote: w.Remote}
	labels := map[string]string{"app": "server"}
	f.web = world.CreateService(ctx, t, f.c, kube.Service(f.ns, "web", "", labels,
		kube.ServicePort("http", 80, world.ServerPort), kube.ServicePort("alt", 8080, world.ServerPort)))
	headless := kube.Service(f.ns, "web-headless", "", labels, kube.ServicePort("http", 80, world.ServerPort))
	headless.Spec.ClusterIP = corev1.ClusterIPNone
	world.CreateService(ctx, t, f.c, headless)
	for _, s := range w.Servers {
		f.webPodIPs = append(f.webPodIPs, s.IP)
	}
	f.zone = world.ClusterDomain(ctx, f.c)
	kd, err := f.c.CoreV1().Services("kube-system").Get(ctx, "kube-dns", metav1.GetOptions{})
	if err != nil {
		verdict.Fatalf(t, "the cluster DNS service kube-system/kube-dns: %v", err)
	}
	f.kubeDNSIP = kd.Spec.ClusterIP
	if cm, err := f.c.CoreV1().ConfigMaps("kube-system").Get(ctx, "coredns", metav1.GetOptions{}); err == nil {
		f.coredns = corefile.Parse(cm.Data["Corefile"], f.zone)
	}
	return f
}

// lookup resolves name from p (search list applied) and records the evidence.
func lookup(ctx context.Context, t *testing.T, chk *verdict.Check, p kube.Prober, name, qtype string) probe.DNSResult {
	t.Helper()
	r, err := p.DNS(ctx, name, qtype)
	if err != nil {
		verdict.Fatal(t, err)
	}
	chk.Evidence("%s -> %s %s = %s", p, qtype, name, dnsSummary(r))
	return r
}

func dnsSummary(r probe.DNSResult) string {
	s := r.RCode
	if s == "" {
		s = "no reply"
	}
	if len(r.Answers) > 0 {
		s += fmt.Sprintf(" %v (answered as %s)", r.Answers, r.AnsweredFQDN)
	}
	if r.Error != "" {
		s += " error: " + r.Error
	}
	return s
}

// only reports whether answers are exactly want (as sets).
func only(answers []string, want ...string) bool {
	if len(answers) != len(want) {
		return false
	}
	seen := map[string]bool{}
	for _, a := range answers {
		seen[a] = true
	}
	for _, w := range want {
		if !seen[w] {
			return false
		}
	}
	return true
}
