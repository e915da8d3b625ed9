//go:build e2e

package svc

import (
	"fmt"

	"github.com/netconform/netconform/fixtures/documents"
	"github.com/netconform/netconform/pkg/kube"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
)

// documentObject decodes one of the documents' manifests (fixtures/documents,
// verbatim) as the API would receive it.
func documentObject(file string) (*unstructured.Unstructured, error) {
	raw, err := documents.Manifests.ReadFile(file)
	if err != nil {
		return nil, err
	}
	obj, err := kube.DecodeManifest(raw)
	if err != nil {
		return nil, fmt.Errorf("fixtures/documents/%s: %w", file, err)
	}
	return obj, nil
}

// serviceFrom is the Service a decoded manifest describes, moved to ns.
func serviceFrom(obj *unstructured.Unstructured, ns string) (*corev1.Service, error) {
	var svc corev1.Service
	if err := runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation(obj.Object, &svc, true); err != nil {
		return nil, fmt.Errorf("not a Service: %w", err)
	}
	svc.Namespace = ns
	return &svc, nil
}
