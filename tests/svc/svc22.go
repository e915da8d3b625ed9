//go:build e2e

package svc

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// unchangedFor is how long the endpoints must stay as they were after a
// change to the Deployment object's labels: the endpoint controller acts on
// a pod change within a second, so a reading in which the Deployment's
// label connects it would show well within this.
const unchangedFor = 5 * time.Second

// SVC-22: document 004 says the label on the Deployment object ("service:
// mysqlauth-service") "actually connects deployment with mysql service".
// MUST: with the document's own objects (fixtures/documents 004-1, 004-2:
// Service mysqlauth-service selecting name: mysqlauth-selector; Deployment
// mysqlauth-deployment labelled service: mysqlauth-service, its pod
// template labelled name: mysqlauth-selector), the endpoints are the pods
// whose template matches the selector; changing the Deployment object's
// own label, then removing it, changes no endpoint for unchangedFor each;
// relabelling the pod itself (the positive control) takes it out of them.
// Refuted when all of that is seen. Endpoints that follow the Deployment
// object's label would be the document's reading, but only a broken
// endpoint controller does that: that branch is failed, not confirmed.
//
// From the document's Service only the fixed nodePort 32001 is dropped (the
// API picks one: another run may hold it). Its Deployment is
// extensions/v1beta1, which current servers no longer serve, and runs
// mysql:latest from the internet: it becomes apps/v1 with the same
// labels, the selector that version defaulted from the template, and the
// probe's TCP echo on 3306 in place of MySQL.
func svc22() features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-22", &chk).
		Assess("DeploymentObjectLabelChangesNoEndpoint", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-svc22")
			svc, depName, depLabels, tmplLabels, err := mysqlauthObjects(ns)
			if err != nil {
				verdict.Fatal(t, err)
			}
			chk.Evidence("document 004: Service %s selector %v; Deployment %s labels %v, pod template labels %v", svc.Name, svc.Spec.Selector, depName, depLabels, tmplLabels)
			spec := world.Server([]int32{world.ServerPort}, "--tcp-echo-ports", "3306")
			spec.Containers[0].Name = "mysqlauth-container"
			spec.Containers[0].Ports = append(spec.Containers[0].Ports, corev1.ContainerPort{Name: "mysqlauth-port", ContainerPort: 3306, Protocol: corev1.ProtocolTCP})
			d := kube.Deployment(ns, depName, 1, tmplLabels, spec)
			d.Labels = depLabels
			ready := world.StartDeploy(ctx, t, c, d)
			world.CreateService(ctx, t, c, svc)
			pods := ready()
			selector := labels.SelectorFromSet(tmplLabels).String()
			want, err := world.ReadyPodIPs(ctx, c, ns, selector)
			if err != nil {
				verdict.Fatal(t, err)
			}
			err = kube.WaitFor(ctx, "endpoints of "+svc.Name+" = the template's pods", time.Minute, func(ctx context.Context) (kube.Observation, error) {
				eps, err := kube.ReadyEndpointIPs(ctx, c, ns, svc.Name)
				return kube.Observation{Done: err == nil && slices.Equal(eps, want), Seen: fmt.Sprintf("endpoints %v, pods %v", eps, want)}, err
			})
			if err != nil {
				verdict.Fatal(t, err)
			}
			chk.Evidence("endpoints of %s: %v = the pods of %s (%s)", svc.Name, want, depName, pods[0].Name)

			kept := 0
			for _, change := range []struct{ what, patch string }{
				{"Deployment label changed to service: other-service", `{"metadata":{"labels":{"service":"other-service"}}}`},
				{"Deployment label service removed", `{"metadata":{"labels":{"service":null}}}`},
			} {
				got, err := c.AppsV1().Deployments(ns).Patch(ctx, depName, types.MergePatchType, []byte(change.patch), metav1.PatchOptions{})
				if err != nil {
					verdict.Fatalf(t, "%s: %v", change.what, err)
				}
				seen, same := endpointsHold(ctx, c, ns, svc.Name, want)
				chk.Evidence("%s (labels now %v): endpoints %s", change.what, got.Labels, seen)
				if !same {
					verdict.Errorf(t, "%s changed the endpoints (%s): only a broken endpoint controller follows a Deployment's own labels", change.what, seen)
					continue
				}
				kept++
			}

			// Positive control, same observer: relabelling the pod itself
			// takes it out of the endpoints (its ReplicaSet starts another).
			victim := pods[0]
			relabel := `{"metadata":{"labels":{"name":"moved-away"}}}`
			if _, err := c.CoreV1().Pods(ns).Patch(ctx, victim.Name, types.MergePatchType, []byte(relabel), metav1.PatchOptions{}); err != nil {
				verdict.Fatal(t, err)
			}
			var after []string
			err = kube.WaitFor(ctx, victim.Name+" out of the endpoints once its own label changed", time.Minute, func(ctx context.Context) (kube.Observation, error) {
				after, err = kube.ReadyEndpointIPs(ctx, c, ns, svc.Name)
				return kube.Observation{Done: err == nil && !slices.Contains(after, victim.Status.PodIP), Seen: fmt.Sprintf("endpoints %v", after)}, err
			})
			if err != nil {
				verdict.Fatalf(t, "positive control: relabelling the pod did not change the endpoints either, so their stillness proves nothing: %v", err)
			}
			chk.Evidence("positive control: pod %s relabelled name: moved-away: endpoints %v (its IP %s left)", victim.Name, after, victim.Status.PodIP)
			if kept == 2 {
				chk.Refute("endpoints %v stayed the pods of %s's template (%v) for %s after its own label %v was changed and again after it was removed, while relabelling a pod moved it out: the pods' labels connect the Service, not the Deployment's",
					want, depName, tmplLabels, unchangedFor, depLabels)
			}
			return ctx
		}).Feature()
}

// endpointsHold polls the Service's ready endpoints for unchangedFor and
// reports whether they stayed want throughout, and what was seen.
func endpointsHold(ctx context.Context, c *kube.Client, ns, svc string, want []string) (string, bool) {
	deadline := time.Now().Add(unchangedFor)
	looks := 0
	for time.Now().Before(deadline) {
		eps, err := kube.ReadyEndpointIPs(ctx, c, ns, svc)
		if err == nil {
			looks++
			if !slices.Equal(eps, want) {
				return fmt.Sprintf("%v after %d looks (was %v)", eps, looks, want), false
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err().Error(), false
		case <-time.After(kube.PollInterval):
		}
	}
	return fmt.Sprintf("%v unchanged over %d looks in %s", want, looks, unchangedFor), looks > 0
}

// mysqlauthObjects are document 004's Service (moved to ns) and its
// Deployment's name and labels, read from the verbatim manifests.
func mysqlauthObjects(ns string) (svc *corev1.Service, depName string, depLabels, tmplLabels map[string]string, err error) {
	obj, err := documentObject("004-1-service.yaml")
	if err != nil {
		return nil, "", nil, nil, err
	}
	if svc, err = serviceFrom(obj, ns); err != nil {
		return nil, "", nil, nil, err
	}
	for i := range svc.Spec.Ports {
		svc.Spec.Ports[i].NodePort = 0
	}
	dep, err := documentObject("004-2-deployment.yaml")
	if err != nil {
		return nil, "", nil, nil, err
	}
	depLabels = dep.GetLabels()
	tmplLabels, _, err = unstructured.NestedStringMap(dep.Object, "spec", "template", "metadata", "labels")
	if err != nil || len(depLabels) == 0 || len(tmplLabels) == 0 {
		return nil, "", nil, nil, fmt.Errorf("004-2-deployment.yaml: labels %v, template labels %v: %v", depLabels, tmplLabels, err)
	}
	if !strings.HasPrefix(dep.GetName(), "mysqlauth") {
		return nil, "", nil, nil, fmt.Errorf("004-2-deployment.yaml names %q, not the mysqlauth Deployment", dep.GetName())
	}
	return svc, dep.GetName(), depLabels, tmplLabels, nil
}
