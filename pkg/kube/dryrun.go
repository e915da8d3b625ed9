package kube

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/restmapper"
	"sigs.k8s.io/yaml"
)

// DecodeManifest parses one YAML object as the API would receive it.
func DecodeManifest(manifest []byte) (*unstructured.Unstructured, error) {
	j, err := yaml.YAMLToJSON(manifest)
	if err != nil {
		return nil, fmt.Errorf("not valid YAML: %w", err)
	}
	obj := &unstructured.Unstructured{}
	if err := obj.UnmarshalJSON(j); err != nil {
		return nil, fmt.Errorf("not a Kubernetes object: %w", err)
	}
	return obj, nil
}

// DryRunCreate submits manifest to the API server with server-side dry-run
// in namespace ns (namespaced objects are moved there) and returns the
// API's verdict: nil when it would be created.
func (c *Client) DryRunCreate(ctx context.Context, ns string, manifest []byte) error {
	obj, err := DecodeManifest(manifest)
	if err != nil {
		return err
	}
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(c.Discovery()))
	gvk := obj.GroupVersionKind()
	m, err := mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		return fmt.Errorf("the API server does not serve %s %s: %w", gvk.GroupVersion(), gvk.Kind, err)
	}
	dyn, err := dynamic.NewForConfig(c.Config)
	if err != nil {
		return err
	}
	res := dyn.Resource(m.Resource)
	opts := metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}}
	if m.Scope.Name() == "namespace" {
		obj.SetNamespace(ns)
		_, err = res.Namespace(ns).Create(ctx, obj, opts)
	} else {
		_, err = res.Create(ctx, obj, opts)
	}
	return err
}
