package main

import (
	"os"
	"testing"

	"github.com/netconform/netconform/pkg/kindcluster"
	"github.com/netconform/netconform/pkg/kube"
	"gotest.tools/v3/assert"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestCleanDeletesOnlyNamespacesOfGoneRunsOnThisHost(t *testing.T) {
	me, ok := kindcluster.ProcessOf(os.Getpid())
	assert.Assert(t, ok)
	live := kube.Run{Host: kube.ThisHost(), PID: me.PID, Start: me.Start}
	gone := kube.Run{Host: kube.ThisHost(), PID: me.PID, Start: me.Start + 1}
	elsewhere := kube.Run{Host: "other", PID: 1, Start: 1}
	ns := func(run string) corev1.Namespace {
		return corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "nc-x", Labels: map[string]string{kube.SuiteLabel: "true", kube.RunLabel: run}}}
	}
	for _, c := range []struct {
		run       string
		all, keep bool
	}{
		{live.String(), false, true},
		{gone.String(), false, false},
		{elsewhere.String(), false, true},
		{"true", false, true},
		{live.String(), true, false},
		{elsewhere.String(), true, false},
	} {
		keep, why := keepNamespace(ns(c.run), c.all)
		assert.Equal(t, keep, c.keep, "%s (all %v): %s", c.run, c.all, why)
	}
}
