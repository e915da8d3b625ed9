//go:build e2e

// Package world sets up what many read-only claims share: probe servers on
// every schedulable node and a client beside each, plus a client in a
// second namespace. Claims that change state make their own namespaces.
package world

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// Ports every probe server of the world listens on: HTTP on ServerPort and
// AltPort, a TCP echo on EchoPort, a UDP echo on UDPPort. Read-only claims
// point their own Services at these servers instead of starting pods.
const (
	ServerPort = 8080
	AltPort    = 3000
	EchoPort   = 3306
	UDPPort    = 5353
)

// minServers is the fewest servers the world has (SVC-07 spreads over 3);
// there is at least one per schedulable node.
const minServers = 3

// Member is one pod of the world.
type Member struct {
	Pod     string
	IP      string
	Node    string
	Version string // server label "version": v1 or v2, alternating
}

// Pods are the world's namespaces and pods; the test processes of one run
// share them (see shared.go).
type Pods struct {
	NS           string // servers and clients
	OtherNS      string // a client in another namespace
	Nodes        []string
	Servers      []Member          // label app=server
	Clients      map[string]Member // by node, on every claim node
	RemoteMember Member            // the client in OtherNS
	LeftOut      []string          // nodes claims do not use, each with why (kube.ClaimNodesOf)
}

// World is the probe pods every test package of a run shares. It is joined
// in the background: claims that use it call Wait first, others start at once.
type World struct {
	C     *kube.Client
	Image string
	Pods
	Remote kube.Prober // client in OtherNS

	ready chan struct{}
	err   error
}

// Wait blocks until the world is ready; it fails t if it could not be made.
func (w *World) Wait(t *testing.T) *World {
	t.Helper()
	<-w.ready
	if w.err != nil {
		verdict.Fatalf(t, "shared world: %v", w.err)
	}
	return w
}

// build makes the world's namespaces and pods: servers (at least minServers,
// spread over the schedulable nodes), a client on every claim node
// (nodeName bypasses the scheduler, so tainted control planes take one
// too; the node reserved for disruptive claims takes none), and a client in
// a second namespace.
func build(ctx context.Context, c *kube.Client, image string) (Pods, error) {
	var w Pods
	nodes, err := c.SchedulableNodes(ctx)
	if err != nil || len(nodes) == 0 {
		return w, fmt.Errorf("no schedulable nodes: %v", err)
	}
	list, err := c.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return w, err
	}
	var all []corev1.Node
	all, w.LeftOut = kube.ClaimNodesOf(list.Items, time.Now())
	if w.NS, err = c.CreateNamespace(ctx, "nc-world"); err != nil {
		return w, err
	}
	if w.OtherNS, err = c.CreateNamespace(ctx, "nc-world-other"); err != nil {
		return w, err
	}
	for _, n := range nodes {
		w.Nodes = append(w.Nodes, n.Name)
	}
	var pods []*corev1.Pod
	for i := range max(minServers, len(nodes)) {
		labels := map[string]string{"app": "server", "version": fmt.Sprintf("v%d", i%2+1), MemberLabel: fmt.Sprintf("server-%d", i)}
		if i < minServers {
			labels["spread"] = "true" // SVC-07's replicas, however many nodes there are
		}
		pods = append(pods, kube.Pod(w.NS, fmt.Sprintf("server-%d", i), labels, nodes[i%len(nodes)].Name,
			kube.PodSpec(kube.ProbeContainer("server", image, []int32{ServerPort, AltPort}, "--tcp-echo-ports", fmt.Sprint(EchoPort), "--udp-echo-ports", fmt.Sprint(UDPPort)))))
	}
	for i, n := range all {
		pods = append(pods, kube.Pod(w.NS, fmt.Sprintf("client-%d", i), map[string]string{"app": "client"}, n.Name,
			kube.PodSpec(kube.IdleContainer("client", image))))
	}
	// The other namespace's client on the last node by name, the one a
	// one-worker fault cuts off: a claim that uses it changes the same way
	// every run, not as the scheduler placed it.
	pods = append(pods, kube.Pod(w.OtherNS, "remote-client", map[string]string{"app": "client"}, nodes[len(nodes)-1].Name,
		kube.PodSpec(kube.IdleContainer("client", image))))
	ready, err := CreatePodsReady(ctx, c, pods, 2*time.Minute)
	if err != nil {
		return w, err
	}
	w.Clients = map[string]Member{}
	for _, p := range ready {
		m := Member{Pod: p.Name, IP: p.Status.PodIP, Node: p.Spec.NodeName, Version: p.Labels["version"]}
		switch {
		case p.Namespace == w.OtherNS:
			w.RemoteMember = m
		case strings.HasPrefix(p.Name, "server-"):
			w.Servers = append(w.Servers, m)
		default:
			w.Clients[m.Node] = m
		}
	}
	return w, nil
}

// Client is the prober beside node's server.
func (w *World) Client(node string) kube.Prober {
	m := w.Clients[node]
	return kube.Prober{C: w.C, NS: w.NS, Pod: m.Pod, Container: "client", IP: m.IP}
}

// MemberLabel names each server pod of the world, so that a Service can
// select one server, the one on a given node (ServerOn).
const MemberLabel = "netconform.io/member"

// ServerOn is the first server of the world on node.
func (w *World) ServerOn(node string) Member {
	for _, m := range w.Servers {
		if m.Node == node {
			return m
		}
	}
	return w.Servers[0] // every claim node has a server: not reached
}

// Selects is the selector of a Service whose only backend is m.
func Selects(m Member) map[string]string { return map[string]string{MemberLabel: m.Pod} }

// AnyClient is the prober on the first schedulable node.
func (w *World) AnyClient() kube.Prober { return w.Client(w.Nodes[0]) }

// CreatePodsReady creates pods concurrently and waits until all are ready.
func CreatePodsReady(ctx context.Context, c *kube.Client, pods []*corev1.Pod, timeout time.Duration) ([]*corev1.Pod, error) {
	out := make([]*corev1.Pod, len(pods))
	errs := make([]error, len(pods))
	var wg sync.WaitGroup
	for i, p := range pods {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = c.CreatePodReady(ctx, p, timeout)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// GetPod fetches a pod.
func GetPod(ctx context.Context, c *kube.Client, ns, name string) (*corev1.Pod, error) {
	return c.CoreV1().Pods(ns).Get(ctx, name, metav1.GetOptions{})
}

// OwnNamespace creates a namespace for one claim and deletes it when the
// claim's test ends, however it ends.
func OwnNamespace(ctx context.Context, t *testing.T, prefix string) (*kube.Client, string) {
	t.Helper()
	c := harness.Current().Client
	ns, err := c.CreateNamespace(ctx, prefix)
	if err != nil {
		verdict.Fatal(t, err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			harness.DiagnoseFailure(context.Background(), t.Name(), ns)
		}
		c.DeleteNamespace(context.Background(), ns)
	})
	return c, ns
}

// StartClient creates an idle probe pod (on node, if given) and returns its prober.
func StartClient(ctx context.Context, t *testing.T, c *kube.Client, ns, name, node string) kube.Prober {
	t.Helper()
	p, err := c.CreatePodReady(ctx, kube.Pod(ns, name, map[string]string{"role": "client"}, node,
		kube.PodSpec(kube.IdleContainer("client", harness.Current().ProbeImage))), 2*time.Minute)
	if err != nil {
		verdict.Fatal(t, err)
	}
	return kube.Prober{C: c, NS: ns, Pod: p.Name, Container: "client", IP: p.Status.PodIP}
}

// RunJob creates a Job, waits for it to succeed and returns its pod's log.
func RunJob(ctx context.Context, c *kube.Client, job *batchv1.Job, timeout time.Duration) (string, error) {
	if _, err := c.BatchV1().Jobs(job.Namespace).Create(ctx, job, metav1.CreateOptions{}); err != nil {
		return "", fmt.Errorf("create job %s/%s: %w", job.Namespace, job.Name, err)
	}
	sel := "job-name=" + job.Name
	err := kube.WaitFor(ctx, "job "+job.Name+" succeeded", timeout, func(ctx context.Context) (kube.Observation, error) {
		j, err := c.BatchV1().Jobs(job.Namespace).Get(ctx, job.Name, metav1.GetOptions{})
		if err != nil {
			return kube.Observation{}, err
		}
		seen := fmt.Sprintf("active %d succeeded %d failed %d", j.Status.Active, j.Status.Succeeded, j.Status.Failed)
		if pods, err := c.CoreV1().Pods(job.Namespace).List(ctx, metav1.ListOptions{LabelSelector: sel}); err == nil {
			for i := range pods.Items {
				seen += "; " + kube.DescribePod(&pods.Items[i])
			}
		}
		return kube.Observation{Done: j.Status.Succeeded > 0, Seen: seen}, nil
	})
	if err != nil {
		return "", err
	}
	pods, err := c.CoreV1().Pods(job.Namespace).List(ctx, metav1.ListOptions{LabelSelector: sel})
	if err != nil {
		return "", err
	}
	for _, p := range pods.Items {
		if p.Status.Phase == corev1.PodSucceeded {
			return podLogs(ctx, c, &p)
		}
	}
	return "", fmt.Errorf("job %s succeeded but no succeeded pod was found", job.Name)
}

// logsBound is how long reading a finished pod's log may fail: the API
// server fetches it from the node's kubelet, and one failed fetch (a 500
// "unknown" from a busy kubelet, seen in CI) is a blip of the API, not the
// cluster's answer to the claim.
const logsBound = 30 * time.Second

// podLogs reads p's log, trying again on an error until logsBound.
func podLogs(ctx context.Context, c *kube.Client, p *corev1.Pod) (string, error) {
	var out string
	err := kube.WaitFor(ctx, "log of pod "+p.Namespace+"/"+p.Name+" read", logsBound, func(ctx context.Context) (kube.Observation, error) {
		raw, err := c.CoreV1().Pods(p.Namespace).GetLogs(p.Name, &corev1.PodLogOptions{}).DoRaw(ctx)
		if err != nil {
			return kube.Observation{}, err
		}
		out = string(raw)
		return kube.Observation{Done: true}, nil
	})
	return out, err
}

// Deploy creates a Deployment of probe servers and waits until its pods are ready.
func Deploy(ctx context.Context, t *testing.T, c *kube.Client, ns, name string, replicas int32, labels map[string]string, spec corev1.PodSpec) []corev1.Pod {
	t.Helper()
	return DeployObject(ctx, t, c, kube.Deployment(ns, name, replicas, labels, spec))
}

// DeployObject creates d and waits until its pods are ready.
func DeployObject(ctx context.Context, t *testing.T, c *kube.Client, d *appsv1.Deployment) []corev1.Pod {
	t.Helper()
	return StartDeploy(ctx, t, c, d)()
}

// StartDeploy creates d and returns a wait for its ready pods, so a claim
// can start its client while the servers start.
func StartDeploy(ctx context.Context, t *testing.T, c *kube.Client, d *appsv1.Deployment) (waitReady func() []corev1.Pod) {
	t.Helper()
	if _, err := c.AppsV1().Deployments(d.Namespace).Create(ctx, d, metav1.CreateOptions{}); err != nil {
		verdict.Fatalf(t, "create deployment %s/%s: %v", d.Namespace, d.Name, err)
	}
	var sel []string
	for k, v := range d.Spec.Selector.MatchLabels {
		sel = append(sel, k+"="+v)
	}
	return func() []corev1.Pod {
		t.Helper()
		pods, err := c.WaitPodsReady(ctx, d.Namespace, strings.Join(sel, ","), int(*d.Spec.Replicas), 2*time.Minute)
		if err != nil {
			verdict.Fatal(t, err)
		}
		return pods
	}
}

// SurgeAll makes d's rolling updates start every new pod at once
// (maxSurge 100%) and remove an old pod only when a new one is ready
// (maxUnavailable 0): a rolling update in one step instead of one per pod.
func SurgeAll(d *appsv1.Deployment) *appsv1.Deployment {
	all, none := intstr.FromString("100%"), intstr.FromInt32(0)
	d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType,
		RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: &all, MaxUnavailable: &none}}
	return d
}

// Server is the probe server pod spec on the given HTTP ports.
func Server(httpPorts []int32, extraArgs ...string) corev1.PodSpec {
	return kube.PodSpec(kube.ProbeContainer("server", harness.Current().ProbeImage, httpPorts, extraArgs...))
}

// ClusterDomain is the cluster's DNS zone: the kubelet's clusterDomain,
// else the default.
func ClusterDomain(ctx context.Context, c *kube.Client) string {
	zone, _ := harness.ClusterDomain(ctx, c)
	return zone
}

// Client is the suite's Kubernetes client.
func Client() *kube.Client { return harness.Current().Client }

// ProbeJob is the documents' client Job (restartPolicy Never, backoffLimit
// 4) running the probe image with args; env is available to $(VAR) in args.
func ProbeJob(ns, name string, env []corev1.EnvVar, args ...string) *batchv1.Job {
	return &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: batchv1.JobSpec{BackoffLimit: ptr.To[int32](4), Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
			RestartPolicy: corev1.RestartPolicyNever,
			Containers: []corev1.Container{{Name: "client", Image: harness.Current().ProbeImage, ImagePullPolicy: kube.ProbeImagePullPolicy,
				Env: env, Args: args}},
		}}},
	}
}
