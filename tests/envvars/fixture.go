//go:build e2e

package envvars

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// svcName has dashes on purpose: ENV-02 is about how they are rewritten.
const svcName = "web-app-service"

// fixture is shared by the read-only ENV claims: a pod started before the
// Service, the Service (ports http 80 and metrics 9090), a server behind
// it, then a pod started after it and a pod in another namespace.
type fixture struct {
	c            *kube.Client
	ns, otherNS  string
	svc          *corev1.Service
	early, late  kube.Prober
	other        kube.Prober
	kubernetesIP string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	f := &fixture{}
	f.c, f.ns = world.OwnNamespace(ctx, t, "nc-env")
	_, f.otherNS = world.OwnNamespace(ctx, t, "nc-env-other")
	f.early = world.StartClient(ctx, t, f.c, f.ns, "early", "")
	image := harness.Current().ProbeImage
	labels := map[string]string{"app": "server"}
	if _, err := f.c.CoreV1().Pods(f.ns).Create(ctx, kube.Pod(f.ns, "server", labels, "",
		kube.PodSpec(kube.ProbeContainer("server", image, []int32{world.ServerPort}))), metav1.CreateOptions{}); err != nil {
		verdict.Fatal(t, err)
	}
	f.svc = world.CreateService(ctx, t, f.c, kube.Service(f.ns, svcName, "", labels,
		kube.ServicePort("http", 80, world.ServerPort), kube.ServicePort("metrics", 9090, world.ServerPort)))
	late := make(chan kube.Prober, 1)
	go func() { late <- world.StartClient(ctx, t, f.c, f.ns, "late", "") }()
	f.other = world.StartClient(ctx, t, f.c, f.otherNS, "other", "")
	f.late = <-late
	k, err := f.c.CoreV1().Services("default").Get(ctx, "kubernetes", metav1.GetOptions{})
	if err != nil {
		verdict.Fatal(t, err)
	}
	f.kubernetesIP = k.Spec.ClusterIP
	return f
}

// environment returns the environment a pod's container started with.
func environment(ctx context.Context, p kube.Prober) (map[string]string, error) {
	out, err := p.C.Exec(ctx, p.NS, p.Pod, p.Container, "/probe", "env")
	if err != nil {
		return nil, err
	}
	env := map[string]string{}
	return env, json.Unmarshal([]byte(out), &env)
}
