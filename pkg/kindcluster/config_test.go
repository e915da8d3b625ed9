package kindcluster

import (
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	"sigs.k8s.io/yaml"
)

func TestConfigHasOneControlPlaneAndWorkers(t *testing.T) {
	cfg := Spec{Workers: 2}.Config()
	var parsed struct {
		Nodes []struct{ Role string } `json:"nodes"`
		Net   struct {
			Mode string `json:"kubeProxyMode"`
		} `json:"networking"`
	}
	assert.NilError(t, yaml.Unmarshal([]byte(cfg), &parsed))
	assert.Equal(t, len(parsed.Nodes), 3)
	assert.Equal(t, parsed.Nodes[0].Role, "control-plane")
	assert.Equal(t, parsed.Net.Mode, "iptables")
	assert.Assert(t, !strings.Contains(cfg, "kubeadmConfigPatches"), cfg)
	assert.Assert(t, !strings.Contains(cfg, "restrict_oom_score_adj"), cfg)
}

func TestConfigAdaptsOnlyWhenAsked(t *testing.T) {
	cfg := Spec{Workers: 1, RestrictOOMScoreAdj: true, AllowCgroupV1: true, EtcdImageTag: "3.6.8-0", CoreDNSImageTag: "v1.14.2"}.Config()
	var parsed struct {
		Patches []string `json:"kubeadmConfigPatches"`
		CPatch  []string `json:"containerdConfigPatches"`
	}
	assert.NilError(t, yaml.Unmarshal([]byte(cfg), &parsed))
	assert.Equal(t, len(parsed.Patches), 2, cfg)
	assert.Assert(t, strings.Contains(parsed.Patches[0], `imageTag: "3.6.8-0"`))
	assert.Assert(t, strings.Contains(parsed.Patches[1], "failCgroupV1: false"))
	assert.Assert(t, strings.Contains(parsed.CPatch[0], "restrict_oom_score_adj = true"))
}
