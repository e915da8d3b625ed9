package harness

import (
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	corev1 "k8s.io/api/core/v1"
)

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func podIn(state corev1.ContainerState) *corev1.Pod {
	return &corev1.Pod{Status: corev1.PodStatus{ContainerStatuses: []corev1.ContainerStatus{{Name: "probe", State: state}}}}
}

func TestContainerVerdict(t *testing.T) {
	running, stuck, _ := containerVerdict(podIn(corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}))
	assert.Assert(t, running && stuck == nil)

	_, stuck, seen := containerVerdict(podIn(corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ContainerCreating"}}))
	assert.Assert(t, stuck == nil)
	assert.Equal(t, seen, "waiting: ContainerCreating")

	for _, reason := range []string{"ErrImageNeverPull", "ErrImagePull", "ImagePullBackOff"} {
		_, stuck, _ = containerVerdict(podIn(corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason, Message: "m"}}))
		assert.DeepEqual(t, stuck, &stuckContainer{Reason: reason, Message: "m"})
	}
	wrongArch := "exec /probe: exec format error"
	_, stuck, _ = containerVerdict(podIn(corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff", Message: wrongArch}}))
	assert.DeepEqual(t, stuck, &stuckContainer{Reason: "CrashLoopBackOff", Message: wrongArch})
}

// The transient runc error seen on a busy node aborted a whole area once;
// it is retried by kubelet, so the preflight waits (and at worst warns).
func TestTransientRuntimeErrorIsNotAnImageThatCannotRun(t *testing.T) {
	freeze := "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error setting cgroup config for procHooks process: unable to freeze"
	_, stuck, seen := containerVerdict(podIn(corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "RunContainerError", Message: freeze}}))
	assert.Assert(t, stuck == nil)
	assert.Assert(t, contains(seen, "retried by kubelet"), seen)
	_, stuck, _ = containerVerdict(podIn(corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Reason: "StartError", ExitCode: 128, Message: freeze}}))
	assert.Assert(t, stuck == nil)
}

func TestProbeImageErrorNeverPulledSaysKindLoad(t *testing.T) {
	img := probeTarget{Image: "netconform.local/probe:abc", LocalRef: "netconform.local/probe:abc"}
	msg := probeImageError(img, map[string]stuckContainer{
		"w2": {Reason: "ErrImageNeverPull", Message: "not present with pull policy of Never"},
		"w1": {Reason: "ErrImageNeverPull"},
	}, "mine").Error()
	assert.Assert(t, contains(msg, "probe image netconform.local/probe:abc is not on the nodes"), msg)
	assert.Assert(t, contains(msg, "\n  - node w1: ErrImageNeverPull\n  - node w2: ErrImageNeverPull: not present"), msg)
	assert.Assert(t, contains(msg, "`kind load docker-image netconform.local/probe:abc --name mine`"), msg)
	assert.Assert(t, contains(probeImageError(img, map[string]stuckContainer{"w1": {Reason: "ErrImageNeverPull"}}, "").Error(), "--name <cluster>"))
	assert.Assert(t, contains(msg, "Build it with `go run ./ci/test-image` and load it"), msg)
	img.Image = "mine/probe:dev" // NETCONFORM_PROBE_IMAGE: not ours to build
	msg = probeImageError(img, map[string]stuckContainer{"w1": {Reason: "ErrImageNeverPull"}}, "").Error()
	assert.Assert(t, contains(msg, "\nLoad it into every node") && !contains(msg, "ci/test-image"), msg)
}

func TestProbeImageErrorFromRepoSaysPush(t *testing.T) {
	img := probeTarget{Image: "localhost:5999/nothing/netconform-probe:abc", LocalRef: "netconform.local/probe:abc", Repo: "localhost:5999/nothing"}
	msg := probeImageError(img, map[string]stuckContainer{"w1": {Reason: "ErrImagePull", Message: "connection refused"}}, "").Error()
	for _, want := range []string{
		"could not be pulled from --image-repo localhost:5999/nothing",
		"node w1: ErrImagePull: connection refused",
		"`docker tag netconform.local/probe:abc localhost:5999/nothing/netconform-probe:abc && docker push localhost:5999/nothing/netconform-probe:abc`",
	} {
		assert.Assert(t, contains(msg, want), "%q not in:\n%s", want, msg)
	}
}

func TestProbeImageErrorThatDoesNotRun(t *testing.T) {
	img := probeTarget{Image: "r/netconform-probe:abc", Repo: "r"}
	msg := probeImageError(img, map[string]stuckContainer{"w1": {Reason: "CrashLoopBackOff"}}, "").Error()
	assert.Assert(t, contains(msg, "does not run") && contains(msg, "architecture"), msg)
}
