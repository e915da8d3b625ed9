package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/netconform/netconform/pkg/claims"
	"gotest.tools/v3/assert"
)

func TestPlanOrdersCellsAndRejectsTyposFirst(t *testing.T) {
	cells, err := plan(config{versions: []string{"1.35.4", "v1.36.3"}, cnis: []string{"flannel-host-gw", "flannel-vxlan"},
		proxyModes: []string{"iptables", "nftables"}, families: []string{"ipv4"}})
	assert.NilError(t, err)
	assert.Equal(t, len(cells), 8)
	assert.Equal(t, cells[0].Name(), "v1.35.4-flannel-host-gw-iptables-ipv4")
	assert.Equal(t, cells[7].Name(), "v1.36.3-flannel-vxlan-nftables-ipv4")

	_, err = plan(config{versions: []string{"1.36.3"}, cnis: []string{"flannel-host-gw", "weave"}, proxyModes: []string{"iptables"}, families: []string{"ipv4"}})
	assert.ErrorContains(t, err, `unknown CNI "weave"`)
	_, err = plan(config{versions: []string{"1.36.3"}, cnis: []string{"flannel-host-gw"}, proxyModes: []string{"iptables"}})
	assert.ErrorContains(t, err, "no cells")
}

func TestWhyNoVerdictsPrefersTheHarnessError(t *testing.T) {
	log := filepath.Join(t.TempDir(), "go-test.log")
	assert.NilError(t, os.WriteFile(log, []byte("=== RUN\nnetconform: create kind cluster nc: boom\nFAIL\n"), 0o644))
	assert.Equal(t, whyNoVerdicts(1, &claims.Cell{SetupError: "CNI x: not ready"}, log), "setup failed: CNI x: not ready")
	assert.Equal(t, whyNoVerdicts(1, nil, log), "setup failed: create kind cluster nc: boom")
	assert.Equal(t, whyNoVerdicts(2, nil, "/nonexistent"), "go test exit code 2 and no verdicts: see /nonexistent")
}

func TestCellEnvDropsKubeconfigAndKeep(t *testing.T) {
	got := cellEnv([]string{"KUBECONFIG=/x", "NETCONFORM_KEEP_CLUSTER=1", "NETCONFORM_CACHE=/c", "PATH=/bin"})
	assert.DeepEqual(t, got, []string{"NETCONFORM_CACHE=/c", "PATH=/bin"})
}
