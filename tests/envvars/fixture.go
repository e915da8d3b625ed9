//go:build e2e

package envvars

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Service names. svcName has dashes on purpose (ENV-02: how they are
// rewritten); doc001Name is document 001's app1-service (ENV-11);
// firstName exists before the early pod starts, so that pod's lack of
// svcName's variables stands beside variables it does have (ENV-05,
// ENV-10); otherName lives in the other namespace, so the pod there has
// its own namespace's variables beside lacking svcName's (ENV-04).
const (
	svcName    = "web-app-service"
	doc001Name = "app1-service"
	firstName  = "first-service"
	otherName  = "local-service"
)

// fixture is shared by the read-only ENV claims: first-service, a pod
// started before the claimed Services (early), web-app-service (ports http
// 80 and metrics 9090) and app1-service with a server behind them, then a
// pod started after them (late) and one in another namespace (other).
// It is built once, by the first claim's set-up, so a failure to build it
// makes each claim "not run" with the reason, never hangs or aborts the area.
type fixture struct {
	once sync.Once
	err  error

	c                  *kube.Client
	ns, otherNS        string
	svc, doc001, first *corev1.Service
	local              *corev1.Service // otherName, in otherNS
	early, late        kube.Prober
	earlyStarted       time.Time // early's running container's start, read before the Services were made
	other              kube.Prober
	kubernetes         *corev1.Service // default/kubernetes
	// serverNode runs the pod behind the Services, jobNode ENV-07's Jobs
	// (world.AcrossNodes): the path through web-app-service is the same
	// cross-node one in every run, not the scheduler's pick.
	serverNode, jobNode string

	envMu sync.Mutex
	envs  map[string]map[string]string // pod -> environment, read once
}

func newFixture() *fixture { return &fixture{envs: map[string]map[string]string{}} }

// ready builds the fixture on first use and fails t (a claim's set-up)
// if it could not be built.
func (f *fixture) ready(t *testing.T) *fixture {
	t.Helper()
	f.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
		defer cancel()
		f.err = f.build(ctx)
	})
	if f.err != nil {
		verdict.Fatalf(t, "ENV fixture: %v", f.err)
	}
	return f
}

// release deletes the fixture's namespaces (after diagnostics, if the area failed).
func (f *fixture) release(t *testing.T) {
	var nss []string
	for _, ns := range []string{f.ns, f.otherNS} {
		if ns != "" {
			nss = append(nss, ns)
		}
	}
	if len(nss) == 0 {
		return
	}
	if t.Failed() {
		harness.DiagnoseFailure(context.Background(), t.Name()+"-fixture", nss...)
	}
	for _, ns := range nss {
		f.c.DeleteNamespace(context.Background(), ns)
	}
}

// build returns errors rather than failing a test: it runs in whichever
// claim's set-up comes first, and its concurrent pod starts must not call
// t.Fatal off the test goroutine.
func (f *fixture) build(ctx context.Context) error {
	f.c = harness.Current().Client
	var err error
	if f.ns, err = f.c.CreateNamespace(ctx, "nc-env"); err != nil {
		return err
	}
	if f.otherNS, err = f.c.CreateNamespace(ctx, "nc-env-other"); err != nil {
		return err
	}
	labels := map[string]string{"app": "server"}
	if f.first, err = createService(ctx, f.c, kube.Service(f.ns, firstName, "", labels, kube.ServicePort("http", 80, world.ServerPort))); err != nil {
		return err
	}
	if f.local, err = createService(ctx, f.c, kube.Service(f.otherNS, otherName, "", labels, kube.ServicePort("http", 80, world.ServerPort))); err != nil {
		return err
	}
	if f.early, err = startClient(ctx, f.c, f.ns, "early"); err != nil {
		return err
	}
	// The container that runs when the Services are made: a start that
	// failed before it (a transient runtime error on a busy node) is not a
	// restart of it, one after it is (observeStartOrder compares).
	if f.earlyStarted, _, err = started(ctx, f.early); err != nil {
		return err
	}
	if f.serverNode, f.jobNode, err = world.AcrossNodes(ctx, f.c); err != nil {
		return err
	}
	image := harness.Current().ProbeImage
	if _, err := f.c.CoreV1().Pods(f.ns).Create(ctx, kube.Pod(f.ns, "server", labels, f.serverNode,
		kube.PodSpec(kube.ProbeContainer("server", image, []int32{world.ServerPort}))), metav1.CreateOptions{}); err != nil {
		return fmt.Errorf("create pod %s/server: %w", f.ns, err)
	}
	if f.svc, err = createService(ctx, f.c, kube.Service(f.ns, svcName, "", labels,
		kube.ServicePort("http", 80, world.ServerPort), kube.ServicePort("metrics", 9090, world.ServerPort))); err != nil {
		return err
	}
	// Document 001's manifest: selector app: app1, port 8081 -> targetPort 3000.
	if f.doc001, err = createService(ctx, f.c, kube.Service(f.ns, doc001Name, "", map[string]string{"app": "app1"},
		kube.ServicePort("", 8081, 3000))); err != nil {
		return err
	}
	// late and other start together; their errors are joined here, on the
	// caller's goroutine.
	var wg sync.WaitGroup
	var lateErr, otherErr error
	wg.Add(2)
	go func() { defer wg.Done(); f.late, lateErr = startClient(ctx, f.c, f.ns, "late") }()
	go func() { defer wg.Done(); f.other, otherErr = startClient(ctx, f.c, f.otherNS, "other") }()
	wg.Wait()
	if err := errors.Join(lateErr, otherErr); err != nil {
		return err
	}
	if f.kubernetes, err = f.c.CoreV1().Services("default").Get(ctx, "kubernetes", metav1.GetOptions{}); err != nil {
		return fmt.Errorf("get service default/kubernetes: %w", err)
	}
	return nil
}

func createService(ctx context.Context, c *kube.Client, svc *corev1.Service) (*corev1.Service, error) {
	got, err := c.CoreV1().Services(svc.Namespace).Create(ctx, svc, metav1.CreateOptions{})
	if err != nil {
		return nil, fmt.Errorf("create service %s/%s: %w", svc.Namespace, svc.Name, err)
	}
	return got, nil
}

func startClient(ctx context.Context, c *kube.Client, ns, name string) (kube.Prober, error) {
	p, err := c.CreatePodReady(ctx, kube.Pod(ns, name, map[string]string{"role": "client"}, "",
		kube.PodSpec(kube.IdleContainer("client", harness.Current().ProbeImage))), 2*time.Minute)
	if err != nil {
		return kube.Prober{}, err
	}
	return kube.Prober{C: c, NS: ns, Pod: p.Name, Container: "client", IP: p.Status.PodIP}, nil
}

// env is the environment p's container started with, read once per pod: a
// running container's environment never changes, so one good read serves
// every claim (and spares a busy machine's exec stream).
func (f *fixture) env(ctx context.Context, p kube.Prober) (map[string]string, error) {
	key := p.NS + "/" + p.Pod
	f.envMu.Lock()
	defer f.envMu.Unlock()
	if e, ok := f.envs[key]; ok {
		return e, nil
	}
	e, err := environment(ctx, p)
	if err == nil {
		f.envs[key] = e
	}
	return e, err
}
