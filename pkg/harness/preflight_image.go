package harness

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Container waiting reasons that waiting will not cure: the image is not
// there (imageMissing), or it is there and does not run.
var (
	imageMissing = map[string]bool{
		"ErrImagePull": true, "ImagePullBackOff": true, "ErrImageNeverPull": true,
		"InvalidImageName": true, "ImageInspectError": true, "RegistryUnavailable": true,
	}
	doesNotRun = map[string]bool{
		"CreateContainerError": true, "CreateContainerConfigError": true,
		"RunContainerError": true, "CrashLoopBackOff": true,
	}
)

// stuckContainer is a probe container that will not start by waiting.
type stuckContainer struct {
	Reason, Message string
}

func (s stuckContainer) String() string {
	if s.Message == "" {
		return s.Reason
	}
	return s.Reason + ": " + s.Message
}

// cannotRun are messages of an image that will never run here (wrong
// architecture, no entrypoint), as opposed to a transient runtime error
// (e.g. runc's "unable to freeze" on a busy node), which kubelet retries.
var cannotRun = []string{"exec format error", "no such file or directory", "executable file not found"}

func imageCannotRun(msg string) bool {
	for _, m := range cannotRun {
		if strings.Contains(msg, m) {
			return true
		}
	}
	return false
}

// containerVerdict reads the probe container of a preflight pod: running,
// stuck, or still on its way (with what was seen). A runtime error that
// does not say the image cannot run is on its way: kubelet retries it, and
// if it lasts past the preflight's budget it is a warning, not an abort.
func containerVerdict(p *corev1.Pod) (running bool, stuck *stuckContainer, seen string) {
	for _, cs := range p.Status.ContainerStatuses {
		switch {
		case cs.State.Running != nil:
			return true, nil, "running"
		case cs.State.Terminated != nil:
			t := cs.State.Terminated
			why := &stuckContainer{Reason: t.Reason, Message: fmt.Sprintf("exit %d %s", t.ExitCode, t.Message)}
			if imageCannotRun(t.Message) || t.ExitCode == 126 || t.ExitCode == 127 {
				return false, why, ""
			}
			return false, nil, "runtime error, retried by kubelet: " + why.String()
		case cs.State.Waiting != nil && imageMissing[cs.State.Waiting.Reason]:
			return false, &stuckContainer{Reason: cs.State.Waiting.Reason, Message: cs.State.Waiting.Message}, ""
		case cs.State.Waiting != nil && doesNotRun[cs.State.Waiting.Reason]:
			why := &stuckContainer{Reason: cs.State.Waiting.Reason, Message: cs.State.Waiting.Message}
			if imageCannotRun(why.Message) {
				return false, why, ""
			}
			return false, nil, "runtime error, retried by kubelet: " + why.String()
		case cs.State.Waiting != nil:
			return false, nil, "waiting: " + cs.State.Waiting.Reason
		}
	}
	return false, nil, kube.DescribePod(p)
}

// checkProbeImage runs an idle probe pod on each schedulable node, in a
// namespace of its own that is deleted afterwards, and waits until each
// runs or is stuck. That the image is missing shows within a second or two
// (ErrImageNeverPull, ErrImagePull); with an image repo it also leaves the
// image pulled on every node. A wait that only runs out of time is a
// warning: the cluster is slow, the input may be fine. Pods that are
// stuck by then are reported even if others are still undecided.
func checkProbeImage(ctx context.Context, c *kube.Client, nodes []corev1.Node, img probeTarget, kindCluster string) (warning string, err error) {
	ns, err := c.CreateNamespace(ctx, "nc-preflight")
	if err != nil {
		return "", fmt.Errorf("preflight: %w", err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
		defer cancel()
		if derr := c.DeleteNamespace(cctx, ns); derr != nil {
			warning = strings.TrimPrefix(warning+"; ", "; ") + fmt.Sprintf("delete preflight namespace %s: %v (remove it with `kubectl delete namespace %s`)", ns, derr, ns)
		}
	}()
	for i, n := range nodes {
		spec := kube.PodSpec(kube.IdleContainer("probe", img.Image))
		spec.Containers[0].ImagePullPolicy = pullPolicyFor(img.Repo)
		if _, err := c.CoreV1().Pods(ns).Create(ctx, kube.Pod(ns, fmt.Sprintf("probe-%d", i), nil, n.Name, spec), metav1.CreateOptions{}); err != nil {
			return "", fmt.Errorf("preflight: create probe pod on node %s: %w", n.Name, err)
		}
	}
	stuck := map[string]stuckContainer{} // by node
	deadline, _ := ctx.Deadline()
	wait := time.Until(deadline) - cleanupTimeout/2 // leave room to delete
	last := kube.Observation{Seen: "no pod status yet"}
	err = kube.WaitFor(ctx, fmt.Sprintf("probe image %s running on %d node(s)", img.Image, len(nodes)), wait, func(ctx context.Context) (kube.Observation, error) {
		pods, err := c.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
		if err != nil && ctx.Err() != nil {
			return last, nil // the deadline, not news: keep the pods' last state for the message
		} else if err != nil {
			return kube.Observation{}, err
		}
		var running int
		var seen []string
		for i := range pods.Items {
			p := &pods.Items[i]
			ok, why, state := containerVerdict(p)
			switch {
			case ok:
				running++
			case why != nil:
				stuck[p.Spec.NodeName] = *why
			default:
				seen = append(seen, p.Spec.NodeName+": "+state)
			}
		}
		sort.Strings(seen)
		// All decided, so that the message names every node without the image.
		last = kube.Observation{Done: running+len(stuck) == len(nodes), Seen: fmt.Sprintf("%d/%d running; %s", running, len(nodes), strings.Join(seen, "; "))}
		return last, nil
	})
	switch {
	case len(stuck) > 0:
		return "", probeImageError(img, stuck, kindCluster)
	case err != nil:
		return err.Error() + " (the preflight stops here; the tests wait longer)", nil
	}
	return "", nil
}

// probeImageError says which image is missing where, and how to put it there.
func probeImageError(img probeTarget, stuck map[string]stuckContainer, kindCluster string) error {
	nodes := make([]string, 0, len(stuck))
	for n := range stuck {
		nodes = append(nodes, n)
	}
	sort.Strings(nodes)
	var b strings.Builder
	missing := false
	for _, n := range nodes {
		fmt.Fprintf(&b, "\n  - node %s: %s", n, stuck[n])
		missing = missing || imageMissing[stuck[n].Reason]
	}
	where := b.String()
	switch {
	case !missing:
		return fmt.Errorf("probe image %s does not run:%s\nIs it built for the nodes' architecture? Rebuild it with `go run ./ci/test-image` on a machine of that architecture", img.Image, where)
	case img.Repo == "":
		name := kindCluster
		if name == "" {
			name = "<cluster>"
		}
		build := "Build it with `go run ./ci/test-image` and load"
		if img.Image != img.LocalRef {
			build = "Load" // NETCONFORM_PROBE_IMAGE: the user's own build
		}
		return fmt.Errorf("probe image %s is not on the nodes (imagePullPolicy Never: without --image-repo it must be on every node already):%s\n"+
			"%s it into every node: for a kind cluster `kind load docker-image %s --name %s`; "+
			"otherwise push it to a registry the nodes pull from and pass --image-repo REPO (env NETCONFORM_IMAGE_REPO)",
			img.Image, where, build, img.Image, name)
	default:
		return fmt.Errorf("probe image %s could not be pulled from --image-repo %s:%s\n"+
			"Push it there: `go run ./ci/test-image` builds %s, then `docker tag %s %s && docker push %s`. "+
			"The nodes must reach that registry and pull without credentials from the suite (it sets no imagePullSecrets)",
			img.Image, img.Repo, where, img.LocalRef, img.LocalRef, img.Image, img.Image)
	}
}
