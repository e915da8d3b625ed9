package nodeimage

import (
	"strings"
	"testing"
	"time"

	"gotest.tools/v3/assert"
)

func TestNormalizeVersion(t *testing.T) {
	for in, want := range map[string]string{"1.36.3": "v1.36.3", "v1.34.4": "v1.34.4", " 1.35.4 ": "v1.35.4"} {
		got, err := normalizeVersion(in)
		assert.NilError(t, err)
		assert.Equal(t, got, want)
	}
	for _, bad := range []string{"1.36", "latest", "2.0.0", "v1.36.3-rc.1"} {
		_, err := normalizeVersion(bad)
		assert.ErrorContains(t, err, "not of the form", bad)
	}
}

func TestBuildableVersionsDropsOldAndPrereleases(t *testing.T) {
	got := buildableVersions([]string{"v1.13.0", "v1.31.14", "v1.32.13", "v1.36.0-rc.1", "v1.36.3"})
	assert.DeepEqual(t, got, []string{"v1.32.13", "v1.36.3"})
}

func TestStagingModules(t *testing.T) {
	gomod := "replace (\n\tk8s.io/api => ./staging/src/k8s.io/api\n\tk8s.io/sample-apiserver => ./staging/src/k8s.io/sample-apiserver\n\tgithub.com/x/y => ../y\n)\n"
	assert.DeepEqual(t, stagingModules(gomod), []string{"api", "sample-apiserver"})
}

const upstreamFlannel = `  net-conf.json: |
    {
      "Network": "10.244.0.0/16",
      "Backend": {
        "Type": "vxlan"
      }
    }
      initContainers:
      - name: install-cni-plugin
        image: ghcr.io/flannel-io/flannel-cni-plugin:v1.9.1-flannel1
      containers:
      - name: kube-flannel
        image: ghcr.io/flannel-io/flannel:v0.28.4
        command:
        - /opt/bin/flanneld
        args:
        - --ip-masq
        - --kube-subnet-mgr
`

func TestFlannelManifestIsKindTemplateWithLocalImages(t *testing.T) {
	m, err := flannelManifest(upstreamFlannel, "host-gw")
	assert.NilError(t, err)
	for _, want := range []string{
		"would you kindly template this file", "would you kindly patch this file",
		`"Network": "{{ .PodSubnet }}"`, `"Type": "host-gw"`,
		`KUBERNETES_SERVICE_HOST="${CONTROL_PLANE_ENDPOINT%:*}"`, "exec /opt/bin/flanneld --ip-masq --kube-subnet-mgr",
	} {
		assert.Assert(t, strings.Contains(m, want), "missing %q in\n%s", want, m)
	}
	assert.Assert(t, !strings.Contains(m, "ghcr.io"), "upstream image left in\n%s", m)
	assert.Equal(t, strings.Count(m, "image: "+FlannelImage), 2)
}

func TestFlannelManifestRejectsUnknownBackendAndUpstreamDrift(t *testing.T) {
	_, err := flannelManifest(upstreamFlannel, "udp")
	assert.ErrorContains(t, err, "unknown flannel backend")
	_, err = flannelManifest(strings.Replace(upstreamFlannel, "--kube-subnet-mgr", "--other", 1), "vxlan")
	assert.ErrorContains(t, err, "changed upstream")
}

func TestDropLines(t *testing.T) {
	in := "a\n_ \"x/pkg/backend/udp\"\nb\n_ \"x/pkg/backend/tencentvpc\"\n"
	assert.Equal(t, dropLines(in, "backend/udp\"", "backend/tencentvpc\""), "a\nb\n")
}

func TestCacheKeyDependsOnInputsAndRecipe(t *testing.T) {
	a := cacheKey([]string{"versions.go"}, "v1.36.3")
	assert.Equal(t, a, cacheKey([]string{"versions.go"}, "v1.36.3"))
	assert.Assert(t, a != cacheKey([]string{"versions.go"}, "v1.35.4"))
	assert.Assert(t, a != cacheKey([]string{"versions.go", "rootfs.go"}, "v1.36.3"))
	assert.Assert(t, cacheKey(nil, "ab", "c") != cacheKey(nil, "a", "bc"), "inputs are length-prefixed")
}

func TestCheckFreeSpace(t *testing.T) {
	assert.NilError(t, checkFreeSpace(t.TempDir(), 1))
	err := checkFreeSpace(t.TempDir(), 1<<62)
	assert.ErrorContains(t, err, "not enough disk space")
}

func TestColdEstimateMatchesTheMeasuredBuild(t *testing.T) {
	if got := coldEstimate(2); got < 22*time.Minute || got > 26*time.Minute {
		t.Errorf("2 cores: %s, measured 23m40s", got)
	}
	if coldEstimate(8) >= coldEstimate(2) {
		t.Errorf("more cores should be faster")
	}
}
