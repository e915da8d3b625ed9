package kindcluster

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	"sigs.k8s.io/yaml"
)

func TestParseDataplaneDefaultsAndChoices(t *testing.T) {
	d, err := ParseDataplane("", "", "")
	assert.NilError(t, err)
	assert.Equal(t, d, DefaultDataplane)
	assert.Assert(t, d.BakedIn())

	d, err = ParseDataplane(FlannelVXLAN, ProxyNFTables, DualStack)
	assert.NilError(t, err)
	assert.Equal(t, d.FlannelBackend(), "vxlan")
	assert.Assert(t, !d.BakedIn())
	assert.Equal(t, d.PodSubnets(), "10.244.0.0/16,fd00:10:244::/56")

	d, _ = ParseDataplane(FlannelHostGW, "", DualStack)
	assert.Assert(t, !d.BakedIn(), "kind's template cannot make a dual-stack flannel")
}

func TestParseDataplaneRejectsUnknownWithTheChoices(t *testing.T) {
	_, err := ParseDataplane("calico", "", "")
	assert.ErrorContains(t, err, `unknown CNI "calico": valid are flannel-host-gw (default), flannel-vxlan, or the path of a manifest`)
	_, err = ParseDataplane("./missing.yaml", "", "")
	assert.ErrorContains(t, err, "no such file")
	_, err = ParseDataplane("", "ipvs", "")
	assert.ErrorContains(t, err, `unknown proxy mode "ipvs": valid are iptables (default), nftables`)
	_, err = ParseDataplane("", "", "ipv6")
	assert.ErrorContains(t, err, `unknown IP family "ipv6"`)

	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.txt")
	assert.NilError(t, os.WriteFile(notes, []byte("x"), 0o644))
	_, err = ParseDataplane(notes, "", "")
	assert.ErrorContains(t, err, "neither a manifest")
}

func TestParseDataplaneFilesAreIdentifiedByContent(t *testing.T) {
	dir := t.TempDir()
	manifest := filepath.Join(dir, "cni.yaml")
	assert.NilError(t, os.WriteFile(manifest, []byte("kind: Namespace\n"), 0o644))
	a, err := ParseDataplane(manifest, "", "")
	assert.NilError(t, err)
	assert.Assert(t, a.Manifest())
	assert.NilError(t, os.WriteFile(manifest, []byte("kind: ConfigMap\n"), 0o644))
	b, err := ParseDataplane(manifest, "", "")
	assert.NilError(t, err)
	assert.Assert(t, a.String() != b.String(), "an edited manifest is another dataplane")

	script := filepath.Join(dir, "install-cni.sh")
	assert.NilError(t, os.WriteFile(script, []byte("#!/bin/sh\n"), 0o755))
	s, err := ParseDataplane(script, "", "")
	assert.NilError(t, err)
	assert.Assert(t, !s.Manifest() && s.FlannelBackend() == "")
	assert.Assert(t, strings.HasPrefix(s.String(), "cni="+script+"@"))
}

func TestConfigOfDualStackNFTablesOwnCNI(t *testing.T) {
	d, err := ParseDataplane(FlannelVXLAN, ProxyNFTables, DualStack)
	assert.NilError(t, err)
	var parsed struct {
		Net struct {
			IPFamily   string `json:"ipFamily"`
			Pods       string `json:"podSubnet"`
			Services   string `json:"serviceSubnet"`
			Mode       string `json:"kubeProxyMode"`
			DisableCNI bool   `json:"disableDefaultCNI"`
		} `json:"networking"`
	}
	assert.NilError(t, yaml.Unmarshal([]byte(Spec{Workers: 2, Dataplane: d}.Config()), &parsed))
	assert.Equal(t, parsed.Net.IPFamily, "dual")
	assert.Equal(t, parsed.Net.Pods, "10.244.0.0/16,fd00:10:244::/56")
	assert.Equal(t, parsed.Net.Services, "10.96.0.0/16,fd00:10:96::/112")
	assert.Equal(t, parsed.Net.Mode, "nftables")
	assert.Assert(t, parsed.Net.DisableCNI)
}
