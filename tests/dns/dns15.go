//go:build e2e

package dns

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// DNS-15: cross-namespace, an env var can carry the FQDN with port
// (DB_HOST=svc.ns.svc.cluster.local:3306).
// MUST: a pod in namespace A configured that way reaches the TCP service in B.
func dns15() features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-15", &chk).
		Assess("EnvVarFQDNReachesTCPServiceInAnotherNamespace", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, nsA := world.OwnNamespace(ctx, t, "nc-dns15-app")
			_, nsB := world.OwnNamespace(ctx, t, "nc-dns15-db")
			image := harness.Current().ProbeImage
			labels := map[string]string{"app": "mysql"}
			db := kube.Pod(nsB, "mysql", labels, "", kube.PodSpec(kube.ProbeContainer("db", image, []int32{world.ServerPort}, "--tcp-echo-ports", "3306")))
			if _, err := c.CreatePodReady(ctx, db, 2*time.Minute); err != nil {
				verdict.Fatal(t, err)
			}
			world.CreateService(ctx, t, c, kube.Service(nsB, "mysqlauth-service", "", labels, kube.ServicePort("mysql", 3306, 3306)))
			dbHost := "mysqlauth-service." + nsB + ".svc." + world.ClusterDomain(ctx, c) + ":3306"
			job := world.ProbeJob(nsA, "app", []corev1.EnvVar{{Name: "DB_HOST", Value: dbHost}},
				"dial", "--proto", "tcp", "--addr", "$(DB_HOST)", "--tries", "3", "--msg", "ping")
			// The first dial may race the Service's rules; the Job retries on failure.
			var r probe.DialResult
			attempt := 0
			err := kube.WaitFor(ctx, "a Job in "+nsA+" reaching "+dbHost, 2*time.Minute, func(ctx context.Context) (kube.Observation, error) {
				attempt++
				job.Name = fmt.Sprintf("app-%d", attempt)
				out, err := world.RunJob(ctx, c, job, time.Minute)
				if err != nil {
					return kube.Observation{}, err
				}
				r, err = probe.ParseDialResult([]byte(out))
				return kube.Observation{Done: err == nil && r.OK == r.Tries, Seen: world.DialSummary(r)}, err
			})
			chk.Evidence("job %s/%s with DB_HOST=%s -> tcp $(DB_HOST) = %s", nsA, job.Name, dbHost, world.DialSummary(r))
			if err != nil {
				verdict.Fatal(t, err)
			}
			if r.BackendCounts["mysql"] != r.Tries {
				verdict.Errorf(t, "replies came from %v, want the mysql pod", r.BackendCounts)
			}
			return ctx
		}).Feature()
}
