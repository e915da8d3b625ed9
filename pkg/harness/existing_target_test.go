package harness

import (
	"os"
	"path/filepath"
	"testing"

	"gotest.tools/v3/assert"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
)

const twoContexts = `apiVersion: v1
kind: Config
clusters:
- name: a
  cluster: {server: "https://a.invalid:6443"}
- name: b
  cluster: {server: "https://b.invalid:6443"}
users:
- name: u
  user: {token: t}
contexts:
- name: ctx-a
  context: {cluster: a, user: u}
- name: ctx-b
  context: {cluster: b, user: u}
current-context: ctx-a
`

func writeKubeconfig(t *testing.T) string {
	f := filepath.Join(t.TempDir(), "kubeconfig")
	assert.NilError(t, os.WriteFile(f, []byte(twoContexts), 0o600))
	return f
}

func TestLoadTargetUsesTheGivenContext(t *testing.T) {
	f := writeKubeconfig(t)
	tg, err := loadTarget(f, "")
	assert.NilError(t, err)
	assert.Equal(t, tg.Context, "ctx-a")
	assert.Equal(t, tg.Server, "https://a.invalid:6443")

	tg, err = loadTarget(f, "ctx-b")
	assert.NilError(t, err)
	assert.Equal(t, tg.Server, "https://b.invalid:6443")
	assert.Equal(t, tg.String(), "kubeconfig "+f+", context \"ctx-b\"")
}

func TestLoadTargetNamesTheContextsThereAre(t *testing.T) {
	_, err := loadTarget(writeKubeconfig(t), "ctx-c")
	assert.ErrorContains(t, err, `has no context "ctx-c"; it has: ctx-a, ctx-b`)
	_, err = loadTarget(filepath.Join(t.TempDir(), "missing"), "")
	assert.ErrorContains(t, err, "no such file")
}

func TestGivenKubeconfigAndContext(t *testing.T) {
	f := writeKubeconfig(t)
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "absent")+string(os.PathListSeparator)+f)
	t.Setenv("NETCONFORM_CONTEXT", "ctx-b")
	cfg := envconf.New()
	assert.Equal(t, givenKubeconfig(cfg), f)
	assert.Equal(t, givenContext(cfg), "ctx-b")
	cfg.WithKubeContext("ctx-a").WithKubeconfigFile("/flag")
	assert.Equal(t, givenContext(cfg), "ctx-a", "the --context flag wins")
	assert.Equal(t, givenKubeconfig(cfg), "/flag", "the --kubeconfig flag wins")

	t.Setenv("KUBECONFIG", "")
	t.Setenv("NETCONFORM_CONTEXT", "")
	assert.Equal(t, givenKubeconfig(envconf.New()), "", "nothing given: the suite makes its cluster")
}
