package kindcluster

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

// testdata/flannel-template.yaml is /kind/manifests/default-cni.yaml of a
// netconform node image (v1.36.3).
func flannelTemplate(t *testing.T) string {
	raw, err := os.ReadFile("testdata/flannel-template.yaml")
	assert.NilError(t, err)
	return string(raw)
}

func renderedNetConf(t *testing.T, manifest string) map[string]any {
	docs, err := splitYAML(manifest)
	assert.NilError(t, err)
	for _, d := range docs {
		if d.GetKind() == "ConfigMap" {
			conf := map[string]any{}
			assert.NilError(t, json.Unmarshal([]byte(d.Object["data"].(map[string]any)["net-conf.json"].(string)), &conf))
			return conf
		}
	}
	t.Fatal("no ConfigMap rendered")
	return nil
}

func TestRenderFlannelVXLAN(t *testing.T) {
	m, err := RenderFlannel(flannelTemplate(t), Dataplane{CNI: FlannelVXLAN, IPFamily: IPv4}, "nc-control-plane:6443")
	assert.NilError(t, err)
	conf := renderedNetConf(t, m)
	assert.Equal(t, conf["Network"], PodSubnet)
	assert.DeepEqual(t, conf["Backend"], map[string]any{"Type": "vxlan"})
	assert.Assert(t, conf["EnableIPv6"] == nil)
	assert.Assert(t, !strings.Contains(m, "{{"), "nothing left for kind to template")
	assert.Assert(t, strings.Contains(m, "name: CONTROL_PLANE_ENDPOINT\n          value: nc-control-plane:6443"), m)
	assert.Assert(t, strings.Contains(m, "image: netconform.local/flannel:"), "the node image's local flannel image")
}

// kind templates "10.244.0.0/16,fd00:10:244::/56" into Network, which
// flannel rejects; the rendered net-conf has one network per family.
func TestRenderFlannelDualStack(t *testing.T) {
	m, err := RenderFlannel(flannelTemplate(t), Dataplane{CNI: FlannelHostGW, IPFamily: DualStack}, "nc-control-plane:6443")
	assert.NilError(t, err)
	conf := renderedNetConf(t, m)
	assert.Equal(t, conf["Network"], PodSubnet)
	assert.Equal(t, conf["EnableIPv6"], true)
	assert.Equal(t, conf["IPv6Network"], PodSubnetV6)
	assert.DeepEqual(t, conf["Backend"], map[string]any{"Type": "host-gw"})
}

func TestRenderFlannelRefusesAForeignTemplate(t *testing.T) {
	_, err := RenderFlannel("kind: DaemonSet\n", Dataplane{CNI: FlannelVXLAN}, "x:6443")
	assert.ErrorContains(t, err, "not netconform's flannel template")
	_, err = RenderFlannel(flannelTemplate(t), Dataplane{CNI: "/x/cni.yaml"}, "x:6443")
	assert.ErrorContains(t, err, "not flannel")
}
