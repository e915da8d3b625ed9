//go:build e2e

package job

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// JOB-01: a Job (restartPolicy Never, backoffLimit 4) requesting the server
// completes, and its log holds "This request was processed by host: <pod>".
// MUST: the Job succeeds 1/1 and the log names a current server pod.
func job01() features.Feature {
	var chk *verdict.Check
	return verdict.Claim("JOB-01", &chk).
		Assess("ClientJobCompletesAndNamesAServerPod", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-job01")
			labels := map[string]string{"app": "webapp1"}
			pods := world.Deploy(ctx, t, c, ns, "webapp1", 1, labels, world.Server([]int32{80}))
			world.CreateService(ctx, t, c, kube.Service(ns, "webapp1-svc", "", labels, kube.ServicePort("http", 80, 80)))
			if err := world.WaitEndpoints(ctx, c, ns, "webapp1-svc", 1); err != nil {
				verdict.Fatal(t, err)
			}
			job := world.ProbeJob(ns, "client-job", nil, "http", "--url", "http://webapp1-svc", "--tries", "1")
			var r probe.HTTPResult
			attempt := 0
			// A pod of the Job that runs before the proxy has the Service's
			// rules sees a refusal; the Job retries it (backoffLimit 4, after
			// 10 s, 20 s, ...). A Job that still fails is run again.
			err := kube.WaitFor(ctx, "client job answered", 3*time.Minute, func(ctx context.Context) (kube.Observation, error) {
				attempt++
				job.Name = fmt.Sprintf("client-job-%d", attempt)
				out, err := world.RunJob(ctx, c, job, 2*time.Minute)
				if err != nil {
					return kube.Observation{}, err
				}
				r, err = probe.ParseHTTPResult([]byte(out))
				return kube.Observation{Done: err == nil && r.OK == 1, Seen: world.HTTPSummary(r)}, err
			})
			if err != nil {
				verdict.Fatal(t, err)
			}
			j, err := c.BatchV1().Jobs(ns).Get(ctx, job.Name, metav1.GetOptions{})
			if err != nil {
				verdict.Fatal(t, err)
			}
			chk.Evidence("job %s/%s: succeeded %d, failed %d (restartPolicy Never, backoffLimit 4); log body %q", ns, job.Name, j.Status.Succeeded, j.Status.Failed, strings.TrimSpace(r.Body))
			if j.Status.Succeeded != 1 {
				verdict.Errorf(t, "job succeeded %d times, want 1", j.Status.Succeeded)
			}
			want := probe.HostPrefix + pods[0].Name
			if !strings.Contains(r.Body, want) {
				verdict.Errorf(t, "job log %q does not hold %q", r.Body, want)
			}
			return ctx
		}).Feature()
}
