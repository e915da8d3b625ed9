//go:build e2e

package ext

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// expect polls a lookup until it answers exactly want (records may trail
// pod readiness by a moment) within world.ReachBound, records the
// evidence, and fails t if it never does. A lookup that could not run (the
// exec failed) is an observation to retry, not an answer.
func expect(ctx context.Context, t *testing.T, chk *verdict.Check, p kube.Prober, name, qtype string, want ...string) {
	t.Helper()
	slices.Sort(want)
	var seen string
	err := kube.WaitFor(ctx, fmt.Sprintf("%s %s = %v", qtype, name, want), world.ReachBound, func(ctx context.Context) (kube.Observation, error) {
		r, err := p.DNS(ctx, name, qtype)
		if err != nil {
			return kube.Observation{}, err
		}
		got := slices.Clone(r.Answers)
		slices.Sort(got)
		seen = fmt.Sprintf("%s %v", r.RCode, got)
		return kube.Observation{Done: slices.Equal(got, want), Seen: seen}, nil
	})
	chk.Evidence("%s -> %s %s = %s", p, qtype, name, seen)
	if err != nil {
		verdict.Error(t, err)
	}
}

// statefulSet runs probe servers with stable names name-0, name-1, ...
func statefulSet(ns, name string, replicas int32, labels map[string]string) *appsv1.StatefulSet {
	return &appsv1.StatefulSet{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: appsv1.StatefulSetSpec{
			Replicas:            ptr.To(replicas),
			ServiceName:         name,
			PodManagementPolicy: appsv1.ParallelPodManagement,
			Selector:            &metav1.LabelSelector{MatchLabels: labels},
			Template:            corev1PodTemplate(labels),
		},
	}
}

func corev1PodTemplate(labels map[string]string) corev1.PodTemplateSpec {
	return corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: world.Server([]int32{world.ServerPort})}
}
