package kube

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// SuiteLabel marks every namespace the suite creates, so leftovers of an
// interrupted run can be found and removed.
const SuiteLabel = "netconform.io/suite"

// CreateNamespace makes a namespace named prefix-<random>. The
// ServiceAccount admission creates "default" asynchronously; pods need it.
func (c *Client) CreateNamespace(ctx context.Context, prefix string) (string, error) {
	labels := map[string]string{SuiteLabel: "true"}
	if ThisRun != (Run{}) {
		labels[RunLabel] = ThisRun.String()
	}
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: prefix + "-", Labels: labels}}
	created, err := c.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{})
	if err != nil {
		return "", fmt.Errorf("create namespace %s-*: %w", prefix, err)
	}
	name := created.Name
	err = WaitFor(ctx, "default service account in "+name, 30*time.Second, func(ctx context.Context) (Observation, error) {
		_, err := c.CoreV1().ServiceAccounts(name).Get(ctx, "default", metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return Observation{Seen: "no default service account yet"}, nil
		}
		return Observation{Done: err == nil}, err
	})
	return name, err
}

// DeleteNamespace starts the deletion; it does not wait for it to finish,
// as nothing depends on that and it takes seconds per namespace.
func (c *Client) DeleteNamespace(ctx context.Context, name string) error {
	err := c.CoreV1().Namespaces().Delete(ctx, name, metav1.DeleteOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}
