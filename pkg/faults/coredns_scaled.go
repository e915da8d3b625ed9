package faults

import (
	"context"
	"fmt"
	"strings"

	"github.com/netconform/netconform/pkg/claims"
	"github.com/netconform/netconform/pkg/kube"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"
)

// corednsScaledToZero scales the CoreDNS Deployment to no replicas: the
// kube-dns Service stays, with nothing behind it.
type corednsScaledToZero struct {
	env      *Env
	replicas *int32 // the Deployment's replicas before; nil: not applied
}

func (f *corednsScaledToZero) Name() string { return "coredns-scaled-to-0" }
func (f *corednsScaledToZero) Breaks() []claims.Mechanism {
	return []claims.Mechanism{claims.ClusterDNS}
}

func (f *corednsScaledToZero) Apply(ctx context.Context) error {
	return f.scale(ctx, func(was int32) int32 {
		if f.replicas == nil {
			f.replicas = &was
		}
		return 0
	})
}

func (f *corednsScaledToZero) scale(ctx context.Context, to func(was int32) int32) error {
	return retry.RetryOnConflict(retry.DefaultRetry, func() error {
		d, err := f.env.Client.AppsV1().Deployments(corednsNS).Get(ctx, corednsDeployment, metav1.GetOptions{})
		if err != nil {
			return err
		}
		was := int32(1)
		if d.Spec.Replicas != nil {
			was = *d.Spec.Replicas
		}
		n := to(was)
		d.Spec.Replicas = &n
		_, err = f.env.Client.AppsV1().Deployments(corednsNS).Update(ctx, d, metav1.UpdateOptions{})
		return err
	})
}

func (f *corednsScaledToZero) InEffect(ctx context.Context) (bool, string, error) {
	d, err := f.env.Client.AppsV1().Deployments(corednsNS).Get(ctx, corednsDeployment, metav1.GetOptions{})
	if err != nil {
		return false, "", err
	}
	pods, err := f.env.corednsPods(ctx)
	if err != nil {
		return false, "", err
	}
	var seen []string
	for _, p := range pods {
		seen = append(seen, kube.DescribePod(&p))
	}
	zero := d.Spec.Replicas != nil && *d.Spec.Replicas == 0
	return zero && len(pods) == 0, fmt.Sprintf("spec.replicas 0: %t; CoreDNS pods (%s): %d [%s]", zero, corednsSelector, len(pods), strings.Join(seen, "; ")), nil
}

func (f *corednsScaledToZero) Revert(ctx context.Context) error {
	if f.replicas == nil {
		return nil
	}
	want := *f.replicas
	if err := f.scale(ctx, func(int32) int32 { return want }); err != nil {
		return fmt.Errorf("scale CoreDNS back to %d: %w", want, err)
	}
	if err := f.env.Client.WaitRolledOut(ctx, corednsNS, corednsDeployment, Bound); err != nil {
		return err
	}
	f.replicas = nil
	return nil
}
