//go:build e2e

package world

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kindcluster"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/vladimirvivien/gexe"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Outside is the observer outside the cluster (a probe container on the
// kind network that is not a node), after its positive control: it has
// just reached a NodePort of a node, so its silence elsewhere means the
// cluster did not answer, not that the observer cannot reach anything.
type Outside struct {
	Control string // the NodePort URL it reached
}

// NotReachableFor is how long a negative check from outside polls: every
// try in that time must go unanswered (upstream's testNotReachable polls
// the same way rather than trusting one timeout).
const NotReachableFor = 6 * time.Second

// outsideFault breaks the observer on purpose (self-test of the verdicts):
// "nostart" names an image that does not exist, "cut" runs it with no
// network. Unset in normal runs.
var outsideFault = os.Getenv("NETCONFORM_OUTSIDE_FAULT")

// Observer is the outside observer before any control. A cluster the
// suite did not make has none (not applicable, detected).
func Observer(t *testing.T, chk *verdict.Check) *Outside {
	t.Helper()
	if !harness.Current().Kind {
		chk.NotApplicable(t, "no observer outside the cluster: the suite did not make this cluster, so it has no host on the node network to probe from")
	}
	return &Outside{}
}

// NewOutside returns the outside observer once its positive control, a
// NodePort over the world's servers, answered it. An observer that cannot
// run or cannot reach the control within ReachBound fails the claim,
// never passes it.
func NewOutside(ctx context.Context, t *testing.T, chk *verdict.Check, w *World) *Outside {
	t.Helper()
	o := Observer(t, chk)
	url, err := controlURL(ctx, w)
	if err != nil {
		verdict.Fatalf(t, "outside observer's control NodePort: %v", err)
	}
	o.Reach(ctx, t, chk, url, "positive control: a NodePort of the world")
	return o
}

// Reach polls url from outside until it answers (within ReachBound) and
// makes it the observer's positive control; else it fails t.
func (o *Outside) Reach(ctx context.Context, t *testing.T, chk *verdict.Check, url, what string) probe.HTTPResult {
	t.Helper()
	var last probe.HTTPResult
	err := kube.WaitFor(ctx, url+" answering the outside observer", ReachBound, func(ctx context.Context) (kube.Observation, error) {
		r, err := outsideHTTP(ctx, "--url", url, "--tries", "1", "--timeout", "2s")
		if err != nil {
			return kube.Observation{}, err // the observer did not run: the timeout message says so
		}
		last = r
		return kube.Observation{Done: r.OK == 1, Seen: HTTPSummary(r)}, nil
	})
	if err != nil {
		verdict.Fatalf(t, "the outside observer did not reach %s (%s), so its silence elsewhere would prove nothing: %v", url, what, err)
	}
	Evidence(chk, OutsideObserverName{}, url+" ("+what+")", HTTPSummary(last))
	o.Control = url
	return last
}

// NeverAnswers polls url from outside for NotReachableFor and fails t if
// any try is answered. It returns the result, whose error counts say what
// kind of silence was seen (refused, timeout, unreachable).
func (o *Outside) NeverAnswers(ctx context.Context, t *testing.T, chk *verdict.Check, url, what string) probe.HTTPResult {
	t.Helper()
	if o.Control == "" {
		verdict.Fatalf(t, "test defect: a negative check from outside before its positive control (Reach or NewOutside)")
	}
	tries := int(NotReachableFor / time.Second)
	r, err := outsideHTTP(ctx, "--url", url, "--tries", fmt.Sprint(tries), "--timeout", "1s", "--interval", "0s")
	if err != nil {
		verdict.Fatalf(t, "outside observer: %v", err)
	}
	Evidence(chk, OutsideObserverName{}, url+" ("+what+", polled "+NotReachableFor.String()+")", HTTPSummary(r))
	if r.OK > 0 {
		verdict.Errorf(t, "%s answered the outside observer on %s (%s)", what, url, HTTPSummary(r))
	}
	return r
}

// HTTP probes from outside (after the control); a failure to run the
// observer is an error, never a result.
func (o *Outside) HTTP(ctx context.Context, args ...string) (probe.HTTPResult, error) {
	return outsideHTTP(ctx, args...)
}

// Silence names the kinds of failure of a negative check's tries.
func Silence(r probe.HTTPResult) string {
	return fmt.Sprintf("%d/%d unanswered: refused %d, timeout %d, unreachable %d", r.Tries-r.OK, r.Tries, r.Refused, r.Timeouts, r.Unreachable)
}

var (
	controlOnce sync.Once
	controlAddr string
	controlErr  error
)

// controlURL is a NodePort Service over the world's servers, made once per
// run, on the last claim node's InternalIP: the node a one-worker fault
// changes (the self-test's NodePort fault on it missed POD-07 and SVC-10
// while the control was on the first node), so the claims that rest on
// the control change with that node every run. It waits for the Service's
// EndpointSlice through the API, not through the path it controls.
func controlURL(ctx context.Context, w *World) (string, error) {
	<-w.ready
	if w.err != nil {
		return "", w.err
	}
	controlOnce.Do(func() {
		svc, err := w.C.CoreV1().Services(w.NS).Create(ctx, kube.Service(w.NS, "outside-control", corev1.ServiceTypeNodePort,
			map[string]string{"app": "server"}, kube.ServicePort("http", 80, ServerPort)), metav1.CreateOptions{})
		if err != nil {
			controlErr = fmt.Errorf("create service %s/outside-control: %w", w.NS, err)
			return
		}
		if controlErr = WaitEndpoints(ctx, w.C, w.NS, svc.Name, len(w.Servers)); controlErr != nil {
			return
		}
		_, last := w.Across()
		node, err := w.C.CoreV1().Nodes().Get(ctx, last, metav1.GetOptions{})
		if err != nil {
			controlErr = err
			return
		}
		for _, a := range node.Status.Addresses {
			if a.Type == corev1.NodeInternalIP && !strings.Contains(a.Address, ":") {
				controlAddr = fmt.Sprintf("http://%s:%d/hostname", a.Address, svc.Spec.Ports[0].NodePort)
			}
		}
		if controlAddr == "" {
			controlErr = fmt.Errorf("node %s has no IPv4 InternalIP", last)
		}
	})
	return controlAddr, controlErr
}

func outsideHTTP(ctx context.Context, args ...string) (probe.HTTPResult, error) {
	s := harness.Current()
	network := kindcluster.DockerNetwork
	image := s.ProbeImage
	switch outsideFault {
	case "nostart":
		image = "netconform.invalid/no-such-observer:0"
	case "cut":
		network = "none"
	}
	cmd := fmt.Sprintf("docker run --rm --pull never --network %s %s http %s", network, image, strings.Join(args, " "))
	p := gexe.RunProcWithContext(ctx, cmd)
	if !p.IsSuccess() {
		return probe.HTTPResult{}, fmt.Errorf("the outside observer did not run (%s): %v %s", cmd, p.Err(), strings.TrimSpace(p.Result()))
	}
	return probe.ParseHTTPResult([]byte(p.Result()))
}

// OutsideObserverName names the vantage point in evidence lines.
type OutsideObserverName struct{}

func (OutsideObserverName) String() string {
	return "outside observer (container on the cluster's docker network, not a node)"
}
