//go:build e2e

package job

import (
	"context"
	"io/fs"
	"strings"
	"testing"

	"github.com/netconform/netconform/fixtures/documents"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// documentAccepted is what a conformant API server does with each of the
// documents' manifests (fixtures/documents, verbatim): the expected outcome
// as data, separate from the dry-run that observes it.
var documentAccepted = map[string]bool{
	"000-1-deployment.yaml": true,  // apps/v1 Deployment
	"000-2-job.yaml":        true,  // batch/v1 Job
	"000-3-service.yaml":    true,  // Service without targetPort
	"000-4-job.yaml":        true,  // batch/v1 Job
	"000-5-job.yaml":        true,  // batch/v1 Job
	"001-1-service.yaml":    false, // indentation flattened on the page: not the object it shows
	"004-1-service.yaml":    true,  // NodePort Service (namespace moved to the test's)
	"004-2-deployment.yaml": false, // extensions/v1beta1 Deployment: removed in Kubernetes 1.16
	"004-3-deployment.yaml": false, // extensions/v1beta1 Deployment: removed in Kubernetes 1.16
}

// JOB-02: the documents' manifests work as written.
// MUST: each manifest, applied with server-side dry-run, is accepted or
// rejected as a conformant API server does; the report lists both, and the
// documents' claim is refuted when any manifest is rejected.
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
				want, known := documentAccepted[f]
				if !known {
					verdict.Errorf(t, "%s has no expected outcome in documentAccepted", f)
					continue
				}
				err := c.DryRunCreate(ctx, ns, raw)
				outcome := "accepted"
				if err != nil {
					outcome = "rejected: " + firstLine(err.Error())
					rejected = append(rejected, f)
				}
				chk.Evidence("fixtures/documents/%s: %s", f, outcome)
				if (err == nil) != want {
					verdict.Errorf(t, "%s: %s, but a conformant API server %s it", f, outcome, map[bool]string{true: "accepts", false: "rejects"}[want])
				}
			}
			if len(rejected) > 0 {
				chk.Refute("%d of %d manifests do not work as written: %s", len(rejected), len(files), strings.Join(rejected, ", "))
			}
			return ctx
		}).Feature()
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	if len(line) > 200 {
		line = line[:200] + "…"
	}
	return line
}
