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
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// JOB-01: a Job (restartPolicy Never, backoffLimit 4) requesting the server
// completes, and its log holds "This request was processed by host: <pod>".
// MUST: with the server's Service ready in the API (its EndpointSlice),
// the client Job succeeds 1/1 and its log names the current server pod.
// The probe exits 0 whenever it ran, so a Job whose request failed still
// "succeeds": its log is what decides, and a Job that logged a failure is
// run again (a new Job) within 3 minutes, since a pod that starts before
// the proxy has the Service's rules sees a refusal. The server and the
// Job run on two given nodes (world.AcrossNodes), so the path is the same
// in every run. The document and Kubernetes agree: confirmed, or failed.
func job01() features.Feature {
	var (
		chk    *verdict.Check
		c      *kube.Client
		ns     string
		server corev1.Pod
		across string // the Job's node
	)
	return verdict.Claim("JOB-01", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns = world.OwnNamespace(ctx, t, "nc-job01")
			labels := map[string]string{"app": "webapp1"}
			backend, clientNode, err := world.AcrossNodes(ctx, c)
			if err != nil {
				verdict.Fatal(t, err)
			}
			across = clientNode
			server = world.Deploy(ctx, t, c, ns, "webapp1", 1, labels, world.On(backend, world.Server([]int32{80})))[0]
			world.CreateService(ctx, t, c, kube.Service(ns, "webapp1-svc", "", labels, kube.ServicePort("http", 80, 80)))
			if err := world.WaitEndpoints(ctx, c, ns, "webapp1-svc", 1); err != nil {
				verdict.Fatal(t, err)
			}
			return ctx
		}).
		Assess("ClientJobCompletesAndNamesAServerPod", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			job := world.ProbeJob(ns, "client-job", nil, "http", "--url", "http://webapp1-svc", "--tries", "1")
			job.Spec.Template.Spec.NodeName = across
			var r probe.HTTPResult
			attempt := 0
			err := kube.WaitFor(ctx, "client job answered", 3*time.Minute, func(ctx context.Context) (kube.Observation, error) {
				attempt++
				job.Name = fmt.Sprintf("client-job-%d", attempt)
				out, err := world.RunJob(ctx, c, job, 2*time.Minute)
				if err != nil {
					return kube.Observation{}, err
				}
				r, err = probe.ParseHTTPResult([]byte(out))
				return kube.Observation{Done: err == nil && r.OK == 1, Seen: job.Name + ": " + world.HTTPSummary(r)}, err
			})
			if err != nil {
				verdict.Fatal(t, err)
			}
			j, err := c.BatchV1().Jobs(ns).Get(ctx, job.Name, metav1.GetOptions{})
			if err != nil {
				verdict.Fatal(t, err)
			}
			body := strings.TrimSpace(r.Body)
			chk.Evidence("job %s/%s on %s, server %s on %s (attempt %d): succeeded %d, failed %d (restartPolicy Never, backoffLimit 4); log body %q", ns, job.Name, across, server.Name, server.Spec.NodeName, attempt, j.Status.Succeeded, j.Status.Failed, body)
			want := probe.HostPrefix + server.Name
			switch {
			case j.Status.Succeeded != 1:
				verdict.Errorf(t, "job %s succeeded %d times, want 1", job.Name, j.Status.Succeeded)
			case !strings.Contains(r.Body, want):
				verdict.Errorf(t, "job log %q does not hold %q", body, want)
			default:
				chk.Confirm("job %s completed 1/1 and its log says %q, naming the server pod", job.Name, body)
			}
			return ctx
		}).Feature()
}
