//go:build e2e

package dns

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// jobBound is how long a client Job may take to run (its pod scheduled,
// started and done) on a busy cluster.
const jobBound = 2 * time.Minute

// DNS-15: an env var can carry the FQDN with port
// (DB_HOST=mysqlauth-service.production-cloud.svc.cluster.local:3306).
// MUST: a Job whose container dials $(DB_HOST), set to the TCP Service's
// FQDN and port, reaches the Service's pod, from the Service's own
// namespace (as document 004 deploys it) and from another. The mysql pod
// is on the first node and the Jobs on the last (world.AcrossNodes), so
// the path is the same cross-node one every run, not the scheduler's pick
// (the self-test's same-node fault failed it once when a Job landed beside
// the pod). The set-up waits for the Service's endpoint through the API;
// a Job whose dials found no rules yet is run again within
// world.ReachBound (the Job is the claim's own data path). Confirmed when
// both reach the mysql pod.
func dns15() features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-15", &chk).
		Assess("EnvVarFQDNReachesTCPServiceFromItsNamespaceAndAnother", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, dbNS := world.OwnNamespace(ctx, t, "nc-dns15-db")
			_, appNS := world.OwnNamespace(ctx, t, "nc-dns15-app")
			backend, clientNode, err := world.AcrossNodes(ctx, c)
			if err != nil {
				verdict.Fatal(t, err)
			}
			labels := map[string]string{"name": "mysqlauth-selector"}
			db := kube.Pod(dbNS, "mysqlauth", labels, backend, steadyServer([]int32{world.ServerPort}, "--tcp-echo-ports", "3306"))
			if _, err := c.CreatePodReady(ctx, db, 2*time.Minute); err != nil {
				verdict.Fatal(t, err)
			}
			world.CreateService(ctx, t, c, kube.Service(dbNS, "mysqlauth-service", "", labels, kube.ServicePort("http", 3306, 3306)))
			if err := world.WaitEndpoints(ctx, c, dbNS, "mysqlauth-service", 1); err != nil {
				verdict.Fatal(t, err)
			}
			dbHost := "mysqlauth-service." + dbNS + ".svc." + world.ClusterDomain(ctx, c) + ":3306"
			type outcome struct {
				r        probe.DialResult
				job      string
				attempts []string
				err      error
			}
			namespaces := []string{dbNS, appNS}
			results := make([]outcome, len(namespaces))
			done := make(chan int)
			for i, ns := range namespaces {
				go func() {
					results[i].r, results[i].job, results[i].attempts, results[i].err = dialFromJob(ctx, c, ns, clientNode, dbHost)
					done <- i
				}()
			}
			for range namespaces {
				<-done
			}
			reached := 0
			for i, ns := range namespaces {
				o := results[i]
				for _, a := range o.attempts {
					chk.Evidence("job %s/%s; not every dial answered, so another Job ran", ns, a)
				}
				chk.Evidence("job %s/%s on %s (mysqlauth on %s) with DB_HOST=%s -> tcp $(DB_HOST) = %s", ns, o.job, clientNode, backend, dbHost, world.DialSummary(o.r))
				switch {
				case o.err != nil:
					verdict.Errorf(t, "from %s: %v", ns, o.err)
				case o.r.BackendCounts["mysqlauth"] != o.r.Tries:
					verdict.Errorf(t, "from %s: replies came from %v, want the mysqlauth pod", ns, o.r.BackendCounts)
				default:
					reached++
				}
			}
			if reached == len(namespaces) {
				chk.Confirm("a Job with DB_HOST=%s reached the mysqlauth pod through $(DB_HOST) from its namespace %s and from %s", dbHost, dbNS, appNS)
			}
			return ctx
		}).Feature()
}

// dialFromJob runs a client Job on node in ns that dials $(DB_HOST) and returns
// the dial result of the first Job whose every try was answered, running
// another while the Service's rules may still be programmed: a Job that
// started within world.ReachBound of the first may be followed by another,
// so the bound is the cluster's (rules programmed), not the Job's own
// scheduling time on a busy machine; earlier attempts are returned as
// "job: result".
func dialFromJob(ctx context.Context, c *kube.Client, ns, node, dbHost string) (probe.DialResult, string, []string, error) {
	var r probe.DialResult
	var earlier []string
	job := world.ProbeJob(ns, "app", []corev1.EnvVar{{Name: "DB_HOST", Value: dbHost}},
		"dial", "--proto", "tcp", "--addr", "$(DB_HOST)", "--tries", "3", "--interval", "500ms", "--msg", "ping")
	job.Spec.Template.Spec.NodeName = node
	start := time.Now()
	for attempt := 1; ; attempt++ {
		job.Name = fmt.Sprintf("app-%d", attempt)
		started := time.Since(start)
		out, err := world.RunJob(ctx, c, job.DeepCopy(), jobBound)
		if err != nil {
			return r, job.Name, earlier, err
		}
		if r, err = probe.ParseDialResult([]byte(out)); err != nil {
			return r, job.Name, earlier, fmt.Errorf("job %s printed no dial result (a probe that could not run, not the cluster's answer): %w: %q", job.Name, err, out)
		}
		switch {
		case r.OK == r.Tries:
			return r, job.Name, earlier, nil
		case started > world.ReachBound:
			return r, job.Name, earlier, fmt.Errorf("no Job reached %s within %s: the last, %s (started %s after the first), saw %s", dbHost, world.ReachBound, job.Name, started.Round(time.Second), world.DialSummary(r))
		}
		earlier = append(earlier, job.Name+": "+world.DialSummary(r))
	}
}
