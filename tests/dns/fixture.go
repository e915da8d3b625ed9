//go:build e2e

package dns

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/corefile"
	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
)

// fixture is shared by the read-only DNS claims: the run's world of probe
// pods, a ClusterIP Service "web" (ports 80 and 8080) and a headless
// "web-headless" over its servers, a client beside them and the world's
// client in another namespace. It is made on first use (ready), so that
// the claims with namespaces of their own start without waiting for it;
// they use only the cluster DNS's facts (dnsFacts).
type fixture struct {
	w               *world.World
	factsOnce, once sync.Once
	factsErr, err   error
	c               *kube.Client
	zone, kubeDNSIP string
	coredns         corefile.Facts
	ns, otherNS     string
	web             *corev1.Service
	webPodIPs       []string
	local, remote   kube.Prober // clients in ns and otherNS
}

// newFixture joins the run's world for t (the area's test) in the background.
func newFixture(t *testing.T) *fixture {
	return &fixture{w: world.New(t), c: harness.Current().Client}
}

// dnsFacts reads, once, what the bounds and detections of the DNS claims
// depend on: the zone, kube-dns's ClusterIP, the CoreDNS Corefile's facts.
func (f *fixture) dnsFacts(t *testing.T) *fixture {
	t.Helper()
	f.factsOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		f.zone = world.ClusterDomain(ctx, f.c)
		kd, err := f.c.CoreV1().Services("kube-system").Get(ctx, "kube-dns", metav1.GetOptions{})
		if err != nil {
			f.factsErr = fmt.Errorf("the cluster DNS service kube-system/kube-dns: %w", err)
			return
		}
		f.kubeDNSIP = kd.Spec.ClusterIP
		if cm, err := f.c.CoreV1().ConfigMaps("kube-system").Get(ctx, "coredns", metav1.GetOptions{}); err == nil {
			f.coredns = corefile.Parse(cm.Data["Corefile"], f.zone)
		} else {
			f.coredns = corefile.Parse("", f.zone) // defaults; HasKubernetes false
		}
	})
	if f.factsErr != nil {
		verdict.Fatalf(t, "%v", f.factsErr)
	}
	return f
}

// ready waits for the world and makes the fixture once; a claim calls it
// in its set-up, so that a fixture that cannot be made is "not run".
func (f *fixture) ready(t *testing.T) *fixture {
	t.Helper()
	f.dnsFacts(t)
	f.w.Wait(t)
	f.once.Do(func() { f.err = f.make() })
	if f.err != nil {
		verdict.Fatalf(t, "the DNS claims' fixture: %v", f.err)
	}
	return f
}

func (f *fixture) make() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	w := f.w
	f.ns, f.otherNS, f.local, f.remote = w.NS, w.OtherNS, w.AnyClient(), w.Remote
	labels := map[string]string{"app": "server"}
	headless := kube.Service(f.ns, "web-headless", "", labels, kube.ServicePort("http", 80, world.ServerPort))
	headless.Spec.ClusterIP = corev1.ClusterIPNone
	for _, svc := range []*corev1.Service{
		kube.Service(f.ns, "web", "", labels, kube.ServicePort("http", 80, world.ServerPort), kube.ServicePort("alt", 8080, world.ServerPort)),
		headless,
	} {
		got, err := f.c.CoreV1().Services(f.ns).Create(ctx, svc, metav1.CreateOptions{})
		if err != nil {
			return fmt.Errorf("create service %s/%s: %w", f.ns, svc.Name, err)
		}
		if svc.Name == "web" {
			f.web = got
		}
	}
	for _, s := range w.Servers {
		f.webPodIPs = append(f.webPodIPs, s.IP)
	}
	return nil
}

// setup is the set-up step of a read-only claim: the fixture, ready.
func (f *fixture) setup(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
	f.ready(t)
	return ctx
}

// readResolvConf reads p's /etc/resolv.conf; an empty read is a probe
// that could not run (a pod's resolv.conf always has lines), retried.
func readResolvConf(ctx context.Context, t *testing.T, p kube.Prober) resolvConf {
	t.Helper()
	var raw string
	_, err := converge(ctx, "read /etc/resolv.conf of "+p.String(), 0, func(ctx context.Context) (kube.Observation, error) {
		out, err := p.Cat(ctx, "/etc/resolv.conf")
		if err == nil && strings.TrimSpace(out) == "" {
			err = fmt.Errorf("cat /etc/resolv.conf in %s printed nothing", p)
		}
		raw = out
		return kube.Observation{Done: err == nil}, err
	})
	if err != nil {
		verdict.Fatalf(t, "%v", err)
	}
	return parseResolvConf(raw)
}

type resolvConf struct{ nameservers, search, options []string }

func parseResolvConf(raw string) resolvConf {
	var rc resolvConf
	for _, line := range strings.Split(raw, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "nameserver":
			rc.nameservers = append(rc.nameservers, f[1])
		case "search":
			rc.search = f[1:]
		case "options":
			rc.options = append(rc.options, f[1:]...)
		}
	}
	return rc
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
