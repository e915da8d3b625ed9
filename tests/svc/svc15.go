//go:build e2e

package svc

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// SVC-15: an orchestrator service calls two other services by service name
// and answers in one request.
// MUST: client -> orchestrator -> (ocr, ner) by http://name:80: one multipart
// POST of a file comes back as one response holding both downstream
// answers, the file intact (same size and SHA-256) across both hops.
//
// The three Services select world servers, each of which can play
// orchestrator (/fanout) or downstream (/upload); the orchestrator resolves
// ocr and ner in its own namespace, as the document's pods do. The
// orchestrator is the server beside the client, ocr and ner the server on
// another node (world.Across), so both hops take the same path in every
// run: client to a pod of its node, that pod to one of another node. The file is
// the probe's sample file (probe.SampleFile), so the test knows its hash.
func svc15(w *world.World) features.Feature {
	var chk *verdict.Check
	const docSize = 64 << 10
	return verdict.Claim("SVC-15", &chk).
		Assess("OrchestratorFansOutAMultipartPostByServiceName", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			near, far := w.Wait(t).Across()
			backends := map[string]world.Member{"orchestrator": w.ServerOn(near), "ocr": w.ServerOn(far), "ner": w.ServerOn(far)}
			for _, name := range []string{"orchestrator", "ocr", "ner"} {
				world.CreateService(ctx, t, w.C, kube.Service(w.NS, name, "", world.Selects(backends[name]), kube.ServicePort("http", 80, world.ServerPort)))
				chk.Evidence("service %s: %s on %s", name, backends[name].Pod, backends[name].Node)
			}
			sum := sha256.Sum256(probe.SampleFile(docSize))
			want := hex.EncodeToString(sum[:])
			client := w.Client(near)
			url := "http://orchestrator:80/fanout?url=http://ocr:80/upload&url=http://ner:80/upload"
			var fan probe.FanoutResult
			err := kube.WaitFor(ctx, "orchestrator answering with both downstream results", world.ReachBound, func(ctx context.Context) (kube.Observation, error) {
				r, err := client.HTTP(ctx, url, 1, "--method", "POST", "--sample-bytes", fmt.Sprint(docSize), "--sample-name", "scan.png", "--field", "file", "--timeout", "3s")
				if err != nil {
					return kube.Observation{}, err
				}
				fan = probe.FanoutResult{}
				return kube.Observation{Done: r.OK == 1 && json.Unmarshal([]byte(r.Body), &fan) == nil, Seen: world.HTTPSummary(r) + " " + r.Body}, nil
			})
			if err != nil {
				verdict.Fatal(t, err)
			}
			chk.Evidence("%s -> POST %s (file scan.png, %d bytes, sha256 %s…) = answered by %s with %d downstream results", client, url, docSize, want[:12], fan.Hostname, len(fan.Responses))
			seen := map[string]bool{}
			intact := 0
			for _, resp := range fan.Responses {
				var up probe.UploadResult
				if err := json.Unmarshal([]byte(resp.Body), &up); err != nil {
					verdict.Errorf(t, "%s answered %d %q: %v", resp.URL, resp.Status, resp.Body, err)
					continue
				}
				chk.Evidence("  %s -> %s: status %d, received %s, %d bytes, sha256 %s…", fan.Hostname, resp.URL, resp.Status, up.Filename, up.Size, up.SHA256[:12])
				seen[resp.URL] = true
				if up.Size != docSize || up.SHA256 != want {
					verdict.Errorf(t, "%s received %d bytes sha256 %s, want %d bytes %s", resp.URL, up.Size, up.SHA256, docSize, want)
					continue
				}
				intact++
			}
			if len(seen) != 2 {
				verdict.Errorf(t, "one response held %d downstream answers, want ocr and ner: %v", len(seen), seen)
			}
			if len(seen) == 2 && intact == 2 {
				chk.Confirm("one POST to orchestrator:80 came back from %s with both ocr and ner answers, the %d-byte file intact (sha256 %s…) across both hops", fan.Hostname, docSize, want[:12])
			}
			return ctx
		}).Feature()
}
