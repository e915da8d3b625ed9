package faults

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"golang.org/x/net/dns/dnsmessage"
	"gotest.tools/v3/assert"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
	"k8s.io/utils/ptr"
)

func corednsPod(n int) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("coredns-%d", n), Namespace: corednsNS, Labels: map[string]string{"k8s-app": "kube-dns"}, UID: types.UID(fmt.Sprint("uid-", n))},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, PodIP: fmt.Sprintf("10.244.0.%d", n),
			Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}},
	}
}

// fakeCoreDNS is a cluster whose CoreDNS Deployment (2 replicas) is rolled
// out and whose ReplicaSet, simulated, replaces a deleted pod at once.
func fakeCoreDNS(t *testing.T, corefile string) *fake.Clientset {
	t.Helper()
	cs := fake.NewClientset(
		&appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: corednsDeployment, Namespace: corednsNS}, Spec: appsv1.DeploymentSpec{Replicas: ptr.To[int32](2)},
			Status: appsv1.DeploymentStatus{Replicas: 2, UpdatedReplicas: 2, AvailableReplicas: 2}},
		&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: corednsConfigMap, Namespace: corednsNS}, Data: map[string]string{"Corefile": corefile, "other": "kept"}},
		corednsPod(1), corednsPod(2))
	next := 3
	cs.PrependReactor("delete", "pods", func(k8stesting.Action) (bool, runtime.Object, error) {
		assert.NilError(t, cs.Tracker().Add(corednsPod(next)))
		next++
		return false, nil, nil // the tracker deletes the old one
	})
	return cs
}

func TestCoreDNSScaledToZeroRestoresTheReplicas(t *testing.T) {
	ctx := context.Background()
	cs := fakeCoreDNS(t, "")
	f := &corednsScaledToZero{env: &Env{Client: &kube.Client{Interface: cs}}}
	assert.NilError(t, f.Apply(ctx))
	assert.NilError(t, f.Apply(ctx), "applying twice keeps the first count")
	d, err := cs.AppsV1().Deployments(corednsNS).Get(ctx, corednsDeployment, metav1.GetOptions{})
	assert.NilError(t, err)
	assert.Equal(t, *d.Spec.Replicas, int32(0))
	assert.Equal(t, *f.replicas, int32(2))

	assert.NilError(t, f.Revert(ctx))
	d, err = cs.AppsV1().Deployments(corednsNS).Get(ctx, corednsDeployment, metav1.GetOptions{})
	assert.NilError(t, err)
	assert.Equal(t, *d.Spec.Replicas, int32(2))
	assert.Assert(t, f.replicas == nil)
	assert.NilError(t, f.Revert(ctx), "nothing to revert")
}

// Without pod records, every CoreDNS pod answers NXDOMAIN for its own pod
// record; the revert puts back the ConfigMap's data byte for byte and
// waits until they answer again.
func TestCoreDNSWithoutPodRecordsRestoresTheConfigMap(t *testing.T) {
	ctx := context.Background()
	raw, err := os.ReadFile("testdata/Corefile")
	assert.NilError(t, err)
	cs := fakeCoreDNS(t, string(raw))
	shell := &fakeShell{output: map[string]string{"nc-control-plane: socat": string(answer(t, dnsmessage.RCodeNameError))}}
	env := testEnv(shell)
	env.Client = &kube.Client{Interface: cs}
	f := &corednsWithoutPodRecords{env: env}

	assert.NilError(t, f.Apply(ctx))
	cm, err := cs.CoreV1().ConfigMaps(corednsNS).Get(ctx, corednsConfigMap, metav1.GetOptions{})
	assert.NilError(t, err)
	assert.Equal(t, podsMode(cm.Data["Corefile"], "cluster.local"), "disabled")
	assert.Equal(t, cm.Data["other"], "kept")
	pods, err := env.corednsPods(ctx)
	assert.NilError(t, err)
	assert.DeepEqual(t, []string{pods[0].Name, pods[1].Name}, []string{"coredns-3", "coredns-4"})

	ok, seen, err := f.InEffect(ctx)
	assert.NilError(t, err)
	assert.Assert(t, ok, seen)

	shell.output["nc-control-plane: socat"] = string(answer(t, dnsmessage.RCodeSuccess, [4]byte{10, 244, 0, 5}))
	assert.NilError(t, f.Revert(ctx))
	cm, err = cs.CoreV1().ConfigMaps(corednsNS).Get(ctx, corednsConfigMap, metav1.GetOptions{})
	assert.NilError(t, err)
	assert.DeepEqual(t, cm.Data, map[string]string{"Corefile": string(raw), "other": "kept"})
	ok, _, err = f.InEffect(ctx)
	assert.NilError(t, err)
	assert.Assert(t, !ok, "reverted")
}
