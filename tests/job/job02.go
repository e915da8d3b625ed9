//go:build e2e

package job

import (
	"context"
	"io/fs"
	"strings"
	"testing"

	"github.com/netconform/netconform/fixtures/documents"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// JOB-02: the documents' manifests work as written.
// MUST: each manifest (fixtures/documents, verbatim), applied with
// server-side dry-run, is accepted or rejected as a conformant API server
// does (documentManifests), a rejection for the cause expected (a fixed
// nodePort that another Service of the cluster holds is not judged). A
// manifest the page may have broken is tried again as restored copies
// derived in Go (the indentation the page lost, nothing else changed;
// then also the author's callout markers out), and the report says whose
// defect it is: the page's when restoring what it lost is enough, else
// the author's. The documents' claim is refuted when any manifest is
// rejected as written. Some are rejected by every conformant server
// (extensions/v1beta1 Deployments), so "all accepted" is a cluster that
// does neither: failed, never confirmed.
func job02() features.Feature {
	var chk *verdict.Check
	return verdict.Claim("JOB-02", &chk).
		Assess("DocumentManifestsDryRunAsKubernetesSpecifies", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-job02")
			files, err := fs.Glob(documents.Manifests, "*.yaml")
			if err != nil {
				verdict.Fatal(t, err)
			}
			var rejected []string
			for _, f := range files {
				raw, _ := documents.Manifests.ReadFile(f)
				want, known := documentManifests[f]
				if !known {
					verdict.Errorf(t, "%s has no expected outcome in documentManifests", f)
					continue
				}
				err := c.DryRunCreate(ctx, ns, raw)
				chk.Evidence("fixtures/documents/%s as written: %s", f, outcome(err))
				if holder := nodePortHeld(ctx, c, want.nodePort, err); holder != "" {
					chk.Evidence("fixtures/documents/%s not judged: its fixed nodePort %d is held by Service %s on this cluster", f, want.nodePort, holder)
					continue
				}
				if !expected(t, f+" as written", err, want.accepted, want.cause) {
					continue
				}
				if err == nil {
					continue
				}
				defect := want.defect
				if len(want.restored) > 0 {
					defect = tryRestored(ctx, t, chk, c, ns, f, string(raw), want.restored)
				}
				rejected = append(rejected, f+" (whose defect: "+defect+")")
			}
			if t.Failed() {
				return ctx
			}
			if len(rejected) == 0 {
				verdict.Fatalf(t, "every manifest was accepted, the extensions/v1beta1 Deployments too: no conformant API server (1.16 or later) does that")
			}
			chk.Refute("%d of %d manifests do not work as written: %s", len(rejected), len(files), strings.Join(rejected, "; "))
			return ctx
		}).Feature()
}

// nodePortHeld names the Service that holds nodePort when err is a
// rejection for an allocated port: a manifest that fixes a nodePort can
// only be created where it is free, which says nothing of the manifest.
func nodePortHeld(ctx context.Context, c *kube.Client, nodePort int32, err error) string {
	if nodePort == 0 || err == nil || !strings.Contains(err.Error(), "already allocated") {
		return ""
	}
	list, lerr := c.CoreV1().Services("").List(ctx, metav1.ListOptions{})
	if lerr != nil {
		return ""
	}
	for _, svc := range list.Items {
		for _, p := range svc.Spec.Ports {
			if p.NodePort == nodePort {
				return svc.Namespace + "/" + svc.Name
			}
		}
	}
	return ""
}

// tryRestored dry-runs each restored copy of f and says whose defect the
// rejection of f is.
func tryRestored(ctx context.Context, t *testing.T, chk *verdict.Check, c *kube.Client, ns, f, raw string, tries []restoration) string {
	t.Helper()
	accepted := make([]bool, len(tries))
	for i, r := range tries {
		restoredCopy, err := r.derive(raw)
		if err != nil {
			verdict.Fatalf(t, "%s: deriving the copy %s: %v", f, r.what, err)
		}
		err = c.DryRunCreate(ctx, ns, []byte(restoredCopy))
		chk.Evidence("fixtures/documents/%s %s: %s", f, r.what, outcome(err))
		expected(t, f+" "+r.what, err, r.accepted, "")
		accepted[i] = err == nil
	}
	defect := whoseDefect(tries, accepted)
	chk.Evidence("fixtures/documents/%s: whose defect: %s", f, defect)
	return defect
}

// expected fails t when the API server's answer err is not the expected
// one; cause, when set, must be part of a rejection.
func expected(t *testing.T, what string, err error, accepted bool, cause string) bool {
	t.Helper()
	switch {
	case (err == nil) != accepted:
		verdict.Errorf(t, "%s: %s, but a conformant API server %s it", what, outcome(err), map[bool]string{true: "accepts", false: "rejects"}[accepted])
		return false
	case err != nil && cause != "" && !strings.Contains(err.Error(), cause):
		verdict.Errorf(t, "%s: %s, want a rejection for %q", what, outcome(err), cause)
		return false
	}
	return true
}

func outcome(err error) string {
	if err == nil {
		return "accepted"
	}
	return "rejected: " + firstLine(err.Error())
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	if len(line) > 200 {
		line = line[:200] + "…"
	}
	return line
}
