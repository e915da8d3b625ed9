//go:build e2e

package svc

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/claims"
	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// SVC-15: an orchestrator service calls two other services by service name
// and answers in one request.
// MUST: client -> orchestrator -> (ocr, ner) by http://name:80: one multipart
// POST of a file comes back as one response holding both downstream
// answers, the file intact (same size and SHA-256) across both hops.
func svc15() features.Feature {
	var chk *claims.Check
	return world.Claim("SVC-15", &chk).
		Assess("OrchestratorFansOutAMultipartPostByServiceName", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-svc15")
			var appsReady []func() []corev1.Pod
			for _, name := range []string{"orchestrator", "ocr", "ner"} { // started together, waited for below
				labels := map[string]string{"app": name}
				appsReady = append(appsReady, world.StartDeploy(ctx, t, c, kube.Deployment(ns, name, 1, labels, world.Server([]int32{world.ServerPort}))))
				world.CreateService(ctx, t, c, kube.Service(ns, name, "", labels, kube.ServicePort("http", 80, world.ServerPort)))
			}
			doc := make([]byte, 64<<10)
			rand.Read(doc)
			sum := sha256.Sum256(doc)
			want := hex.EncodeToString(sum[:])
			cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "document"}, BinaryData: map[string][]byte{"scan.png": doc}}
			if _, err := c.CoreV1().ConfigMaps(ns).Create(ctx, cm, metav1.CreateOptions{}); err != nil {
				t.Fatal(err)
			}
			spec := kube.PodSpec(kube.IdleContainer("client", harness.Current().ProbeImage))
			spec.Volumes = []corev1.Volume{{Name: "doc", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: "document"}}}}}
			spec.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "doc", MountPath: "/data"}}
			p, err := c.CreatePodReady(ctx, kube.Pod(ns, "client", nil, "", spec), 2*time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			client := kube.Prober{C: c, NS: ns, Pod: p.Name, Container: "client", IP: p.Status.PodIP}
			for _, ready := range appsReady {
				ready()
			}
			url := "http://orchestrator:80/fanout?url=http://ocr:80/upload&url=http://ner:80/upload"
			var fan probe.FanoutResult
			err = kube.WaitFor(ctx, "orchestrator answering with both downstream results", time.Minute, func(ctx context.Context) (kube.Observation, error) {
				r, err := client.HTTP(ctx, url, 1, "--method", "POST", "--file", "/data/scan.png", "--field", "file", "--timeout", "3s")
				if err != nil {
					return kube.Observation{}, err
				}
				fan = probe.FanoutResult{}
				return kube.Observation{Done: r.OK == 1 && json.Unmarshal([]byte(r.Body), &fan) == nil, Seen: world.HTTPSummary(r) + " " + r.Body}, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			chk.Evidence("%s -> POST %s (file scan.png, %d bytes, sha256 %s…) = answered by %s with %d downstream results", client, url, len(doc), want[:12], fan.Hostname, len(fan.Responses))
			seen := map[string]bool{}
			for _, resp := range fan.Responses {
				var up probe.UploadResult
				if err := json.Unmarshal([]byte(resp.Body), &up); err != nil {
					t.Errorf("%s answered %d %q: %v", resp.URL, resp.Status, resp.Body, err)
					continue
				}
				chk.Evidence("  %s -> %s: status %d, received %s, %d bytes, sha256 %s…", fan.Hostname, resp.URL, resp.Status, up.Filename, up.Size, up.SHA256[:12])
				seen[resp.URL] = true
				if up.Size != int64(len(doc)) || up.SHA256 != want {
					t.Errorf("%s received %d bytes sha256 %s, want %d bytes %s", resp.URL, up.Size, up.SHA256, len(doc), want)
				}
			}
			if len(seen) != 2 {
				t.Errorf("one response held %d downstream answers, want ocr and ner: %v", len(seen), seen)
			}
			return ctx
		}).Feature()
}
