package harness

import (
	"context"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"gotest.tools/v3/assert"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func reservedNode(name string) *corev1.Node {
	return &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{kube.ReservedLabel: kube.ReservedValue}}}
}

func TestEachDisruptiveClaimGetsAReservedNodeOfItsOwn(t *testing.T) {
	reserved.free = nil
	t.Cleanup(func() { reserved.free = nil })
	c := &kube.Client{Interface: fake.NewSimpleClientset(reservedNode("nc-worker4"), reservedNode("nc-worker3"), &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "nc-worker"}})}
	ctx := context.Background()
	a, releaseA, err := BeginDisruption(ctx, c)
	assert.NilError(t, err)
	b, releaseB, err := BeginDisruption(ctx, c)
	assert.NilError(t, err)
	assert.DeepEqual(t, []string{a, b}, []string{"nc-worker3", "nc-worker4"})

	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	_, _, err = BeginDisruption(short, c)
	assert.ErrorContains(t, err, "held every reserved node", "a third waits while both are held")

	releaseB()
	again, releaseAgain, err := BeginDisruption(ctx, c)
	assert.NilError(t, err)
	assert.Equal(t, again, b)
	releaseA()
	releaseAgain()
}

func TestNoReservedNodeHoldsNothing(t *testing.T) {
	reserved.free = nil
	t.Cleanup(func() { reserved.free = nil })
	node, release, err := BeginDisruption(context.Background(), &kube.Client{Interface: fake.NewSimpleClientset()})
	assert.NilError(t, err)
	assert.Equal(t, node, "")
	release()
}
