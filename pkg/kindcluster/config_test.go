package kindcluster

import (
	"strings"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
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
	assert.Assert(t, !strings.Contains(cfg, "restrict_oom_score_adj"), cfg)
	assert.Assert(t, !strings.Contains(cfg, "failCgroupV1"), cfg)
}

func TestContainerdAndTheKubeletBothUseTheCgroupfsDriver(t *testing.T) {
	var parsed struct {
		Patches []string `json:"kubeadmConfigPatches"`
		CPatch  []string `json:"containerdConfigPatches"`
	}
	assert.NilError(t, yaml.Unmarshal([]byte(Spec{Workers: 1}.Config()), &parsed))
	assert.Equal(t, len(parsed.Patches), 1)
	assert.Assert(t, strings.Contains(parsed.Patches[0], "kind: KubeletConfiguration\ncgroupDriver: cgroupfs"), parsed.Patches[0])
	assert.Assert(t, strings.Contains(parsed.CPatch[0], "SystemdCgroup = false"), parsed.CPatch[0])
}

func TestConfigAdaptsOnlyWhenAsked(t *testing.T) {
	cfg := Spec{Workers: 1, RestrictOOMScoreAdj: true, AllowCgroupV1: true, EtcdImageTag: "3.6.8-0", CoreDNSImageTag: "v1.14.2"}.Config()
	var parsed struct {
		Patches []string `json:"kubeadmConfigPatches"`
		CPatch  []string `json:"containerdConfigPatches"`
	}
	assert.NilError(t, yaml.Unmarshal([]byte(cfg), &parsed))
	assert.Equal(t, len(parsed.Patches), 2, cfg)
	assert.Assert(t, strings.Contains(parsed.Patches[0], "failCgroupV1: false"))
	assert.Assert(t, strings.Contains(parsed.Patches[1], `imageTag: "3.6.8-0"`))
	assert.Assert(t, strings.Contains(parsed.CPatch[1], "restrict_oom_score_adj = true"))
}

func TestReservedNodesAreExtraTaintedLabelledWorkers(t *testing.T) {
	cfg := Spec{Workers: 2, ReservedNodes: 2}.Config()
	var parsed struct {
		Nodes []struct {
			Role    string            `json:"role"`
			Labels  map[string]string `json:"labels"`
			Patches []string          `json:"kubeadmConfigPatches"`
		} `json:"nodes"`
	}
	assert.NilError(t, yaml.Unmarshal([]byte(cfg), &parsed), cfg)
	assert.Equal(t, len(parsed.Nodes), 5)
	assert.DeepEqual(t, parsed.Nodes[3], parsed.Nodes[4])
	last := parsed.Nodes[4]
	assert.Equal(t, last.Role, "worker")
	assert.Equal(t, last.Labels[kube.ReservedLabel], kube.ReservedValue)
	assert.Equal(t, len(last.Patches), 1)
	var join struct {
		Kind string `json:"kind"`
		Reg  struct {
			Taints []struct{ Key, Value, Effect string } `json:"taints"`
		} `json:"nodeRegistration"`
	}
	assert.NilError(t, yaml.Unmarshal([]byte(last.Patches[0]), &join))
	assert.Equal(t, join.Kind, "JoinConfiguration")
	assert.DeepEqual(t, join.Reg.Taints, []struct{ Key, Value, Effect string }{{kube.ReservedLabel, kube.ReservedValue, "NoSchedule"}})
	assert.Equal(t, len(parsed.Nodes[1].Labels), 0, "claim workers carry no reserved label")
	assert.Equal(t, Spec{Workers: 2, ReservedNodes: 2}.Shape(), "1 control plane, 2 workers, 2 reserved for disruptive claims")
}
