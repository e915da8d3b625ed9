package kube

import (
	"context"
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// WaitRolledOut waits until every replica of a Deployment runs its latest
// template and is available, and no old replica remains.
func (c *Client) WaitRolledOut(ctx context.Context, ns, name string, timeout time.Duration) error {
	return WaitFor(ctx, "rollout of deployment "+ns+"/"+name, timeout, func(ctx context.Context) (Observation, error) {
		d, err := c.AppsV1().Deployments(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return Observation{}, err
		}
		st := d.Status
		return Observation{Done: RolledOut(d), Seen: fmt.Sprintf("generation %d/%d, replicas %d, updated %d, available %d",
			st.ObservedGeneration, d.Generation, st.Replicas, st.UpdatedReplicas, st.AvailableReplicas)}, nil
	})
}

// RolledOut reports whether a Deployment's status shows its rollout complete.
func RolledOut(d *appsv1.Deployment) bool {
	want := int32(1)
	if d.Spec.Replicas != nil {
		want = *d.Spec.Replicas
	}
	s := d.Status
	return s.ObservedGeneration >= d.Generation && s.UpdatedReplicas == want && s.Replicas == want && s.AvailableReplicas == want
}
