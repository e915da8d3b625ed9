//go:build e2e

package job

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/fixtures/documents"
	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// commandBound is how long a command may take to give its expected
// answer: a transient API error is retried, not taken as the answer.
const commandBound = 30 * time.Second

// JOB-03: the documents' kubectl commands work as written.
// MUST: each kubectl command of documents 000 and 001 (documentCommands;
// document 004 has none, and document 002's commands apply files its page
// does not show, so it is no source of this claim), with its names, runs
// through harness.KubectlWithFiles against the cluster in the claim's
// namespace (--namespace added), with server-side dry-run where it would
// create (--dry-run=server added), in a directory holding the files it
// names (the verbatim manifests under the page's names). The premises the
// document states are set up: a Deployment named deployment-name, which
// 001 says its expose command targets. Names the cluster generates are
// not: the author's Job pod names exist on no other cluster. Each
// command's outcome matches what a conformant cluster and kubectl do
// (within commandBound), and the report lists each with why it fails.
// Some commands fail on every cluster (`kubectl create` without -f), so
// the claim is refuted; all working is a cluster (or kubectl) that does
// neither: failed, never confirmed.
func job03() features.Feature {
	var (
		chk *verdict.Check
		ns  string
	)
	return verdict.Claim("JOB-03", &chk).
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			var c *kube.Client
			c, ns = world.OwnNamespace(ctx, t, "nc-job03")
			// 001's premise; no pods: the command reads only the object.
			d := kube.Deployment(ns, "deployment-name", 0, map[string]string{"app": "deployment-name"}, world.Server([]int32{3000}))
			if _, err := c.AppsV1().Deployments(ns).Create(ctx, d, metav1.CreateOptions{}); err != nil {
				verdict.Fatal(t, err)
			}
			return ctx
		}).
		Assess("DocumentCommandsRunAsKubernetesAndKubectlDo", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			var order []string               // reasons, first seen first
			failing := map[string][]string{} // reason -> commands
			for _, cmd := range documentCommands {
				works, out, err := runDocCommand(ctx, ns, cmd)
				if err != nil {
					verdict.Fatalf(t, "document %s line %d `%s`: %v", cmd.doc, cmd.line, cmd.text, err)
				}
				result := "works"
				if !works {
					result = "fails"
				}
				chk.Evidence("document %s line %d: `%s` (run as `kubectl %s`) %s: %s", cmd.doc, cmd.line, cmd.text, strings.Join(docArgs(cmd, ns), " "), result, oneLine(out))
				switch {
				case works != cmd.works:
					verdict.Errorf(t, "`%s` %s (%s), but on a conformant cluster it %s", cmd.text, result, oneLine(out), map[bool]string{true: "works", false: "fails"}[cmd.works])
				case !works && !strings.Contains(out, cmd.cause):
					verdict.Errorf(t, "`%s` fails, but not for %q: %s", cmd.text, cmd.cause, oneLine(out))
				case !works:
					if failing[cmd.why] == nil {
						order = append(order, cmd.why)
					}
					failing[cmd.why] = append(failing[cmd.why], "`"+cmd.text+"`")
				}
			}
			if t.Failed() {
				return ctx
			}
			if len(failing) == 0 {
				verdict.Fatalf(t, "every command worked, `kubectl create client-job-env.yaml` too: no kubectl does that")
			}
			var parts []string
			n := 0
			for _, why := range order {
				parts = append(parts, strings.Join(failing[why], ", ")+" ("+why+")")
				n += len(failing[why])
			}
			chk.Refute("%d of %d of the documents' kubectl commands do not work as written: %s", n, len(documentCommands), strings.Join(parts, "; "))
			return ctx
		}).Feature()
}

// oneLine is kubectl's output for an evidence line: its first lines, joined.
func oneLine(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) > 3 {
		lines = append(lines[:3], "…")
	}
	for i := range lines {
		lines[i] = strings.Join(strings.Fields(lines[i]), " ")
	}
	return firstLine(strings.Join(lines, " | "))
}

// docArgs are cmd's arguments as written, and what the claim adds.
func docArgs(cmd docCommand, ns string) []string {
	args := strings.Fields(cmd.text)[1:]
	if cmd.creates {
		args = append(args, "--dry-run=server")
	}
	return append(args, "--namespace", ns)
}

// runDocCommand runs cmd as the claim does, until its outcome is the one
// expected or commandBound passes, and returns the last outcome. err is a
// kubectl that could not run at all: no answer of the cluster's.
func runDocCommand(ctx context.Context, ns string, cmd docCommand) (works bool, out string, err error) {
	args := docArgs(cmd, ns)
	files := map[string][]byte{}
	for name, fixture := range cmd.files {
		raw, err := documents.Manifests.ReadFile(fixture)
		if err != nil {
			return false, "", err
		}
		files[name] = raw
	}
	var runErr error
	waitErr := kube.WaitFor(ctx, "`"+cmd.text+"` answering as expected", commandBound, func(ctx context.Context) (kube.Observation, error) {
		var e error
		out, e = harness.KubectlWithFiles(ctx, files, args...)
		var exit *exec.ExitError
		runErr = nil
		if e != nil && !errors.As(e, &exit) {
			runErr = e
			return kube.Observation{}, e
		}
		works = e == nil
		done := works == cmd.works && (works || strings.Contains(out, cmd.cause))
		return kube.Observation{Done: done, Seen: firstLine(strings.TrimSpace(out))}, nil
	})
	if runErr != nil {
		return false, out, fmt.Errorf("kubectl did not run: %v (%v)", runErr, waitErr)
	}
	return works, out, nil
}
