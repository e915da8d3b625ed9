//go:build e2e

package svc

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// SVC-22: document 004 reads a label on the Deployment object ("service:
// mysqlauth-service") as what connects the Deployment to the Service.
// MUST: only the pod template's labels matter: a Deployment labelled to match
// whose pods do not match gets no endpoints; pods that match get endpoints
// whatever their Deployment's labels (document 004's reading refuted).
func svc22() features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-22", &chk).
		Assess("PodTemplateLabelsNotDeploymentLabelsSelectEndpoints", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-svc22")
			labelled := kube.Deployment(ns, "mysqlauth", 1, map[string]string{"app": "mysqlauth"}, world.Server([]int32{world.ServerPort}))
			labelled.Labels = map[string]string{"service": "mysqlauth-service"}
			if _, err := c.AppsV1().Deployments(ns).Create(ctx, labelled, metav1.CreateOptions{}); err != nil {
				verdict.Fatal(t, err)
			}
			unlabelled := kube.Deployment(ns, "unlabelled", 1, map[string]string{"service": "mysqlauth-service"}, world.Server([]int32{world.ServerPort}))
			unlabelled.Labels = map[string]string{"app": "unlabelled"} // not the label document 004 puts on Deployments
			if _, err := c.AppsV1().Deployments(ns).Create(ctx, unlabelled, metav1.CreateOptions{}); err != nil {
				verdict.Fatal(t, err)
			}
			matching, err := c.WaitPodsReady(ctx, ns, "service=mysqlauth-service", 1, 2*time.Minute)
			if err != nil {
				verdict.Fatal(t, err)
			}
			decoy, err := c.WaitPodsReady(ctx, ns, "app=mysqlauth", 1, 2*time.Minute)
			if err != nil {
				verdict.Fatal(t, err)
			}
			world.CreateService(ctx, t, c, kube.Service(ns, "mysqlauth-service", "", map[string]string{"service": "mysqlauth-service"}, kube.ServicePort("mysql", 3306, 3306)))
			var eps []string
			err = kube.WaitFor(ctx, "endpoints of mysqlauth-service", time.Minute, func(ctx context.Context) (kube.Observation, error) {
				eps, err = world.ReadyEndpointIPs(ctx, c, ns, "mysqlauth-service")
				return kube.Observation{Done: err == nil && len(eps) > 0, Seen: fmt.Sprintf("endpoints %v", eps)}, err
			})
			if err != nil {
				verdict.Fatal(t, err)
			}
			chk.Evidence("Deployment mysqlauth (labels service=mysqlauth-service, pods app=mysqlauth): pod %s %s", decoy[0].Name, decoy[0].Status.PodIP)
			chk.Evidence("Deployment unlabelled (labels app=unlabelled, pods service=mysqlauth-service): pod %s %s", matching[0].Name, matching[0].Status.PodIP)
			chk.Evidence("Service selector service=mysqlauth-service: endpoints %v", eps)
			switch {
			case slices.Equal(eps, []string{matching[0].Status.PodIP}):
				chk.Refute("the endpoints are the pods whose template carries the label (%s), not the pods of the Deployment carrying it (%s)", matching[0].Status.PodIP, decoy[0].Status.PodIP)
			case slices.Contains(eps, decoy[0].Status.PodIP):
				chk.Evidence("the labelled Deployment's pod is an endpoint, as document 004 reads it")
			default:
				verdict.Errorf(t, "endpoints %v: neither the matching pod %s nor the labelled Deployment's pod %s", eps, matching[0].Status.PodIP, decoy[0].Status.PodIP)
			}
			return ctx
		}).Feature()
}
