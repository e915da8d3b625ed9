//go:build e2e

package svc

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/netconform/netconform/fixtures/documents"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// app1ServiceRestored is document 001's app1-service manifest with the
// indentation the page lost put back and its callout markers "(1)".."(5)"
// taken off; nothing else. restoredFrom checks that against the verbatim
// copy (fixtures/documents/001-1-service.yaml), line by line.
const app1ServiceRestored = `apiVersion: v1
kind: Service
metadata:
  name: app1-service
spec:
  selector:
    app: app1
  ports:
  - protocol: TCP
    port: 8081
    targetPort: 3000
`

var callout = regexp.MustCompile(`\s*\(\d+\)\s*$`)

// restoredFrom reports whether restored differs from verbatim only by
// leading whitespace and trailing callout markers.
func restoredFrom(verbatim, restored string) error {
	v := strings.Split(strings.TrimRight(verbatim, "\n"), "\n")
	r := strings.Split(strings.TrimRight(restored, "\n"), "\n")
	if len(v) != len(r) {
		return fmt.Errorf("%d lines verbatim, %d restored", len(v), len(r))
	}
	for i := range v {
		if a, b := strings.TrimSpace(callout.ReplaceAllString(v[i], "")), strings.TrimSpace(r[i]); a != b {
			return fmt.Errorf("line %d: verbatim %q, restored %q", i+1, v[i], r[i])
		}
	}
	return nil
}

// SVC-23: document 001 says app1-service "listens for requests in port 8080
// and forwards them to port 3000 inside the pod"; its own manifest says
// port: 8081.
// MUST: that manifest, applied (the page lost its indentation, which is
// put back, nothing else), makes a Service that answers on 8081, arriving
// on pod port 3000 of pods labelled app: app1, from a client beside its
// pod and from one on another node (world.Across: both paths, every run),
// and nothing answers on 8080 of its ClusterIP for every one of
// silentTries tries, from the client beside it (pods listen on 8080 too,
// so only the Service can decline).
// Refuted (the prose, by its own manifest) when both are seen. An answer
// on 8080 would follow the prose, but only a broken proxy gives one for a
// port the Service does not have: that branch is failed, not confirmed.
func svc23(w *world.World) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-23", &chk).
		Assess("App1ServiceManifestListensOn8081Not8080", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			const file = "001-1-service.yaml"
			raw, err := documents.Manifests.ReadFile(file)
			if err != nil {
				verdict.Fatal(t, err)
			}
			if err := restoredFrom(string(raw), app1ServiceRestored); err != nil {
				verdict.Fatalf(t, "test defect: the restored manifest is not fixtures/documents/%s re-indented: %v", file, err)
			}
			obj, err := kube.DecodeManifest([]byte(app1ServiceRestored))
			if err != nil {
				verdict.Fatal(t, err)
			}
			c, ns := world.OwnNamespace(ctx, t, "nc-svc23")
			svc, err := serviceFrom(obj, ns)
			if err != nil {
				verdict.Fatal(t, err)
			}
			backendNode, acrossNode := w.Wait(t).Across()
			ready := world.StartDeploy(ctx, t, c, kube.Deployment(ns, "app1", 1, svc.Spec.Selector, world.On(backendNode, world.Server([]int32{world.AltPort, world.ServerPort}))))
			got := world.CreateService(ctx, t, c, svc)
			p := got.Spec.Ports[0]
			chk.Evidence("fixtures/documents/%s re-indented, applied: service %s selector %v, port %d -> targetPort %s; its pod on %s", file, got.Name, got.Spec.Selector, p.Port, p.TargetPort.String(), backendNode)
			ready()
			client := w.Client(backendNode)
			url := fmt.Sprintf("http://%s:%d/info", got.Spec.ClusterIP, p.Port)
			pairs := []world.Pair{{Client: client, URL: url}, {Client: w.Client(acrossNode), URL: url}}
			arrived := world.AltPort
			for i, res := range world.WaitEveryPair(ctx, pairs, world.ReachBound) {
				if res.Err != nil {
					verdict.Errorf(t, "the manifest's own port does not answer %s either: %v", pairs[i].Client, res.Err)
					continue
				}
				world.Evidence(chk, pairs[i].Client, url+" (the manifest's port)", fmt.Sprintf("%s, arrived on pod port %d", world.HTTPSummary(res.R), world.ArrivalPort(res.R)))
				if a := world.ArrivalPort(res.R); a != world.AltPort {
					arrived = a
				}
			}
			if t.Failed() {
				return ctx
			}
			if p.Port != 8081 || arrived != world.AltPort {
				verdict.Errorf(t, "the manifest's Service answered on port %d arriving on pod port %d, want 8081 and %d", p.Port, arrived, world.AltPort)
			}
			prose := fmt.Sprintf("http://%s:8080/hostname", got.Spec.ClusterIP)
			s, silent := neverAnswers(ctx, t, chk, client, prose, "the port the prose names; the pods listen on it")
			if silent && p.Port == 8081 && arrived == world.AltPort {
				chk.Refute("the document's own app1-service manifest makes a Service on port 8081 (to pod port %d), and clusterIP %s:8080, the port its prose names, does not answer: %s",
					arrived, got.Spec.ClusterIP, s)
			}
			return ctx
		}).Feature()
}
