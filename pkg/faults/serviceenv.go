package faults

import (
	"context"
	_ "embed"
	"fmt"
	"strings"

	"github.com/netconform/netconform/pkg/claims"
	"github.com/netconform/netconform/pkg/kube"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
)

//go:embed fixtures/service-links-off.yaml
var serviceLinksOffYAML string

// admissionGroup serves MutatingAdmissionPolicy: v1 from Kubernetes 1.36,
// v1beta1 (1.34, 1.35) and v1alpha1 (1.32, 1.33) only where the cluster
// enables them (feature gate MutatingAdmissionPolicy and runtime-config).
const admissionGroup = "admissionregistration.k8s.io"

var admissionVersions = []string{"v1", "v1beta1", "v1alpha1"}

var admissionResources = map[string]string{
	"MutatingAdmissionPolicy":        "mutatingadmissionpolicies",
	"MutatingAdmissionPolicyBinding": "mutatingadmissionpolicybindings",
}

// serviceLinksOff sets enableServiceLinks: false on every pod created in
// the suite's namespaces (netconform.io/suite=true), by a
// MutatingAdmissionPolicy: a ValidatingAdmissionPolicy cannot change a pod.
type serviceLinksOff struct {
	env     *Env
	version string   // admissionregistration version in use; "" before Apply
	created []object // what Apply made, in order, to delete in reverse
	ns      string   // a namespace of the suite's, where dry-run pods show the policy's effect
}

type object struct {
	gvr  schema.GroupVersionResource
	name string
}

func (f *serviceLinksOff) Name() string               { return "service-links-off" }
func (f *serviceLinksOff) Breaks() []claims.Mechanism { return []claims.Mechanism{claims.ServiceEnv} }

// policyObjects are the policy and its binding in the given version.
func policyObjects(version string) ([]*unstructured.Unstructured, error) {
	var out []*unstructured.Unstructured
	for _, doc := range strings.Split(serviceLinksOffYAML, "\n---\n") {
		obj, err := kube.DecodeManifest([]byte(strings.ReplaceAll(doc, admissionGroup+"/VERSION", admissionGroup+"/"+version)))
		if err != nil {
			return nil, err
		}
		out = append(out, obj)
	}
	return out, nil
}

func (f *serviceLinksOff) servedVersion() (string, error) {
	for _, v := range admissionVersions {
		res, err := f.env.Client.Discovery().ServerResourcesForGroupVersion(admissionGroup + "/" + v)
		if err != nil {
			continue
		}
		for _, r := range res.APIResources {
			if r.Name == "mutatingadmissionpolicies" {
				return v, nil
			}
		}
	}
	return "", fmt.Errorf("the API server serves no MutatingAdmissionPolicy (%s %v): before Kubernetes 1.36 it needs the MutatingAdmissionPolicy feature gate and --runtime-config=%s/v1beta1=true", admissionGroup, admissionVersions, admissionGroup)
}

func (f *serviceLinksOff) Apply(ctx context.Context) error {
	v, err := f.servedVersion()
	if err != nil {
		return err
	}
	objs, err := policyObjects(v)
	if err != nil {
		return err
	}
	dyn, err := dynamic.NewForConfig(f.env.Client.Config)
	if err != nil {
		return err
	}
	if f.ns, err = f.env.Client.CreateNamespace(ctx, "nc-selftest"); err != nil {
		return err
	}
	f.version = v
	for _, o := range objs {
		gvr := schema.GroupVersionResource{Group: admissionGroup, Version: v, Resource: admissionResources[o.GetKind()]}
		if _, err := dyn.Resource(gvr).Create(ctx, o, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("create %s %s: %w", o.GetKind(), o.GetName(), err)
		}
		f.created = append(f.created, object{gvr: gvr, name: o.GetName()})
	}
	f.env.logf("MutatingAdmissionPolicy (%s/%s) sets enableServiceLinks: false on new pods in namespaces labelled %s=true", admissionGroup, v, kube.SuiteLabel)
	return nil
}

// serviceLinks is what a new pod in f.ns would get (server-side dry run:
// admission runs, nothing is stored).
func (f *serviceLinksOff) serviceLinks(ctx context.Context) (bool, error) {
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{GenerateName: "selftest-"},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "registry.k8s.io/pause:3.10"}}},
	}
	got, err := f.env.Client.CoreV1().Pods(f.ns).Create(ctx, pod, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
	if err != nil {
		return false, fmt.Errorf("dry-run pod in %s: %w", f.ns, err)
	}
	return got.Spec.EnableServiceLinks == nil || *got.Spec.EnableServiceLinks, nil
}

func (f *serviceLinksOff) InEffect(ctx context.Context) (bool, string, error) {
	if f.ns == "" {
		return false, "not applied", nil
	}
	links, err := f.serviceLinks(ctx)
	if err != nil {
		return false, "", err
	}
	return !links, fmt.Sprintf("a new pod in %s gets enableServiceLinks: %t (dry run)", f.ns, links), nil
}

func (f *serviceLinksOff) Revert(ctx context.Context) error {
	if f.ns == "" {
		return nil
	}
	dyn, err := dynamic.NewForConfig(f.env.Client.Config)
	if err != nil {
		return err
	}
	for len(f.created) > 0 {
		o := f.created[len(f.created)-1]
		if err := dyn.Resource(o.gvr).Delete(ctx, o.name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
			return fmt.Errorf("delete %s %s: %w", o.gvr.Resource, o.name, err)
		}
		f.created = f.created[:len(f.created)-1]
	}
	// The check runs in a namespace made for it: the one Apply made may be
	// gone, since an interrupted catalogue run deletes the namespaces of
	// its owner's run (the self-test's), this one included, and a dry run
	// there would fail until the bound as if the policy were still there.
	applied := f.ns
	if f.ns, err = f.env.Client.CreateNamespace(ctx, "nc-selftest"); err != nil {
		return fmt.Errorf("policy deleted, but no namespace to check it in: %w", err)
	}
	err = kube.WaitFor(ctx, "new pods getting service links again", Bound, func(ctx context.Context) (kube.Observation, error) {
		links, err := f.serviceLinks(ctx)
		return kube.Observation{Done: links, Seen: fmt.Sprintf("a new pod in %s gets enableServiceLinks: %t (dry run)", f.ns, links)}, err
	})
	if err != nil {
		return err
	}
	for _, ns := range []string{applied, f.ns} {
		if err := f.env.Client.DeleteNamespace(ctx, ns); err != nil {
			return err
		}
	}
	f.ns = ""
	return nil
}
