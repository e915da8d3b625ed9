package faults

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
	"k8s.io/utils/ptr"
)

// recordingShell is a fakeShell that also keeps what was written on stdin.
type recordingShell struct {
	fakeShell
	stdin map[string]string // command -> stdin
}

func (s *recordingShell) Run(ctx context.Context, where string, stdin []byte, argv ...string) (string, error) {
	if stdin != nil {
		s.stdin[where+": "+strings.Join(argv, " ")] = string(stdin)
	}
	return s.fakeShell.Run(ctx, where, stdin, argv...)
}

func kcmMirrorPod(node, controllers string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: kcmStaticPodPrefix + node, Namespace: kubeSystemNamespace},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: kcmContainer, Command: []string{"kube-controller-manager", "--controllers=" + controllers}}}},
		Status:     corev1.PodStatus{Phase: corev1.PodRunning, Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}},
	}
}

// The manifest is saved beside the manifests (never among them), replaced
// by the edited one in one rename, and put back byte for byte; in effect
// only once the new process runs with the flag, its mirror pod shows it
// and it leads.
func TestEndpointSliceControllerStoppedAndBack(t *testing.T) {
	ctx := context.Background()
	raw, err := os.ReadFile("testdata/kube-controller-manager.yaml")
	assert.NilError(t, err)
	orig := string(raw)
	cp := "nc-control-plane"
	const before, after = "*,bootstrapsigner,tokencleaner", "*,bootstrapsigner,tokencleaner,-endpointslice-controller"
	cs := fake.NewClientset(kcmMirrorPod(cp, before))
	leader := 0
	cs.PrependReactor("get", "leases", func(k8stesting.Action) (bool, runtime.Object, error) {
		leader++ // a new leader at every look: the test is not about leader election
		return true, &coordinationv1.Lease{Spec: coordinationv1.LeaseSpec{HolderIdentity: ptr.To(fmt.Sprintf("%s_%d", cp, leader))}}, nil
	})
	shell := &recordingShell{stdin: map[string]string{}, fakeShell: fakeShell{output: map[string]string{
		cp + ": cat " + kcmManifest: orig,
		cp + ": ps -eo args=":       "kube-controller-manager --controllers=" + before + "\n",
	}}}
	env := testEnv(shell)
	env.Client = &kube.Client{Interface: cs}
	f := &endpointSliceControllerStopped{env: env}

	assert.NilError(t, f.Apply(ctx))
	assert.Equal(t, shell.stdin[cp+": sh -c cat > "+kcmBackup], orig)
	written := shell.stdin[cp+": sh -c cat > "+kcmBackup+".new && mv "+kcmBackup+".new "+kcmManifest]
	assert.Equal(t, manifestControllers(written), after)
	assert.Assert(t, !strings.HasPrefix(kcmBackup, "/etc/kubernetes/manifests/"), "the kubelet would run the backup as a pod")

	ok, seen, err := f.InEffect(ctx)
	assert.NilError(t, err)
	assert.Assert(t, !ok, "the old process still runs: %s", seen)
	shell.output[cp+": ps -eo args="] = "kube-controller-manager --controllers=" + after + "\n"
	_, err = cs.CoreV1().Pods(kubeSystemNamespace).Update(ctx, kcmMirrorPod(cp, after), metav1.UpdateOptions{})
	assert.NilError(t, err)
	ok, seen, err = f.InEffect(ctx)
	assert.NilError(t, err)
	assert.Assert(t, ok, seen)

	shell.output[cp+": ps -eo args="] = "kube-controller-manager --controllers=" + before + "\n"
	_, err = cs.CoreV1().Pods(kubeSystemNamespace).Update(ctx, kcmMirrorPod(cp, before), metav1.UpdateOptions{})
	assert.NilError(t, err)
	assert.NilError(t, f.Revert(ctx))
	assert.Equal(t, shell.stdin[cp+": sh -c cat > "+kcmBackup+".new && mv "+kcmBackup+".new "+kcmManifest], orig, "put back byte for byte")
	assert.Assert(t, is.Contains(shell.cmds, cp+": rm -f "+kcmBackup), "the backup goes once the original is back")
	assert.Assert(t, f.original == nil)
}
