//go:build e2e

package svc

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// SVC-06: ports can be named, and a targetPort can refer to a container port by name.
// MUST: a Service whose targetPort is a container port name reaches that
// port; renumbering the container port behind the name keeps it working.
// The pod is on the first node and the client on the last
// (world.AcrossNodes): one path, the same every run (the scheduler's pick
// let the self-test's same-node fault miss it).
func svc06(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-06", &chk).
		Assess("NamedTargetPortFollowsTheContainerPort", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-svc06")
			labels := map[string]string{"app": "named"}
			backend, clientNode, err := world.AcrossNodes(ctx, c)
			if err != nil {
				verdict.Fatal(t, err)
			}
			spec := func(port int32) corev1.PodSpec {
				s := world.On(backend, world.Server([]int32{port}))
				s.Containers[0].Ports[0].Name = "web-port"
				return s
			}
			world.Deploy(ctx, t, c, ns, "named", 1, labels, spec(8080))
			sp := kube.ServicePort("http", 80, 0)
			sp.TargetPort = intstr.FromString("web-port")
			svc := world.CreateService(ctx, t, c, kube.Service(ns, "named", "", labels, sp))
			client := w.Wait(t).Client(clientNode)
			check := func(wantPort int) bool {
				url := fmt.Sprintf("http://%s/info", svc.Spec.ClusterIP)
				err := kube.WaitFor(ctx, fmt.Sprintf("%s answered by pod port %d", url, wantPort), world.ReachBound, func(ctx context.Context) (kube.Observation, error) {
					r, err := client.HTTP(ctx, url, 1, "--timeout", "1s")
					if err != nil {
						return kube.Observation{}, err
					}
					var info probe.Info
					json.Unmarshal([]byte(r.Body), &info)
					seen := fmt.Sprintf("%s, pod port %d", world.HTTPSummary(r), info.Port)
					if r.OK == 1 && info.Port == wantPort {
						world.Evidence(chk, client, url+" (targetPort web-port)", seen)
					}
					return kube.Observation{Done: r.OK == 1 && info.Port == wantPort, Seen: seen}, nil
				})
				if err != nil {
					verdict.Error(t, err)
				}
				return err == nil
			}
			before := check(8080)
			d, err := c.AppsV1().Deployments(ns).Get(ctx, "named", metav1.GetOptions{})
			if err != nil {
				verdict.Fatal(t, err)
			}
			d.Spec.Template.Spec = spec(3000)
			if _, err := c.AppsV1().Deployments(ns).Update(ctx, d, metav1.UpdateOptions{}); err != nil {
				verdict.Fatal(t, err)
			}
			chk.Evidence("container port web-port renumbered 8080 -> 3000 (rolling update)")
			if check(3000) && before {
				chk.Confirm("targetPort web-port reached pod port 8080, and pod port 3000 once the container port named web-port was renumbered")
			}
			return ctx
		}).Feature()
}
