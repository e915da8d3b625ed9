package harness

import (
	"context"
	"strings"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"gotest.tools/v3/assert"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func TestOnlyNamespacesOfGoneRunsOnThisHostAreRemoved(t *testing.T) {
	live := kube.Run{Host: "aaaa", PID: 10, Start: 1}
	gone := kube.Run{Host: "aaaa", PID: 11, Start: 2}
	elsewhere := kube.Run{Host: "bbbb", PID: 12, Start: 3}
	labels := map[string]string{
		"nc-world-live": live.String(),
		"nc-world-gone": gone.String(),
		"nc-pod05-gone": gone.String(),
		"nc-other-host": elsewhere.String(),
		"nc-unlabelled": "true",
	}
	alive := func(r kube.Run) bool { return r == live }
	assert.DeepEqual(t, deadRunNamespaces(labels, "aaaa", alive), []string{"nc-pod05-gone", "nc-world-gone"})
}

func TestAnInterruptDeletesThisRunsNamespacesOnlyAndSaysWhich(t *testing.T) {
	this := kube.Run{Host: "aaaa", PID: 10, Start: 1}
	saved := kube.ThisRun
	kube.ThisRun = this
	t.Cleanup(func() { kube.ThisRun = saved })
	ns := func(name, run string) *corev1.Namespace {
		return &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{kube.SuiteLabel: "true", kube.RunLabel: run}}}
	}
	fc := fake.NewSimpleClientset(ns("nc-world-1", this.String()), ns("nc-svc13-2", this.String()), ns("nc-world-other", kube.Run{Host: "aaaa", PID: 11, Start: 1}.String()))
	var out strings.Builder
	removeThisRun(&kube.Client{Interface: fc}, &out)
	assert.Equal(t, out.String(), "netconform: deleting this run's namespaces: nc-svc13-2, nc-world-1\n")
	left, err := fc.CoreV1().Namespaces().List(context.Background(), metav1.ListOptions{})
	assert.NilError(t, err)
	assert.Equal(t, len(left.Items), 1)
	assert.Equal(t, left.Items[0].Name, "nc-world-other")
}
