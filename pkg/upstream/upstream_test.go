package upstream

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An excerpt of v1.36.3's test/utils/image/manifest.go.
const manifestExcerpt = `
var (
	initRegistry = RegistryList{
		PromoterE2eRegistry:      "registry.k8s.io/e2e-test-images",
		GcRegistry:               "registry.k8s.io",
		DockerLibraryRegistry:    "docker.io/library",
	}
)

func initImageConfigs(list RegistryList) (map[ImageID]Config, map[ImageID]Config) {
	configs := map[ImageID]Config{}
	configs[Agnhost] = Config{list.PromoterE2eRegistry, "agnhost", "2.63.0"}
	configs[BusyBox] = Config{list.PromoterE2eRegistry, "busybox", "1.37.0-1"}
	configs[GlibcDnsTesting] = Config{list.PromoterE2eRegistry, "glibc-dns-testing", "2.0.0"}
	configs[Nginx] = Config{list.PromoterE2eRegistry, "nginx", "1.15-4"}
	configs[Pause] = Config{list.GcRegistry, "pause", "3.10.2"}
`

func TestParseManifestGivesTheUpstreamNames(t *testing.T) {
	got, err := parseManifest(manifestExcerpt)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"agnhost":           "registry.k8s.io/e2e-test-images/agnhost:2.63.0",
		"busybox":           "registry.k8s.io/e2e-test-images/busybox:1.37.0-1",
		"glibc-dns-testing": "registry.k8s.io/e2e-test-images/glibc-dns-testing:2.0.0",
		"nginx":             "registry.k8s.io/e2e-test-images/nginx:1.15-4",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %q, want %q", k, got[k], v)
		}
	}
	if tagOf(got["agnhost"]) != "2.63.0" {
		t.Errorf("tag of %s: %q", got["agnhost"], tagOf(got["agnhost"]))
	}
}

func TestParseManifestFallsBackToJessieDnsutils(t *testing.T) {
	old := strings.Replace(manifestExcerpt, `configs[GlibcDnsTesting] = Config{list.PromoterE2eRegistry, "glibc-dns-testing", "2.0.0"}`,
		`configs[JessieDnsutils] = Config{list.PromoterE2eRegistry, "jessie-dnsutils", "1.7"}`, 1)
	got, err := parseManifest(old)
	if err != nil {
		t.Fatal(err)
	}
	if got["glibc-dns-testing"] != "registry.k8s.io/e2e-test-images/jessie-dnsutils:1.7" {
		t.Errorf("got %q", got["glibc-dns-testing"])
	}
	if _, err := parseManifest(strings.Replace(manifestExcerpt, "configs[Nginx]", "configs[Other]", 1)); err == nil {
		t.Error("a manifest without nginx parsed")
	}
}

func TestStagingUsesReadsGoWork(t *testing.T) {
	work := "go 1.26.0\n\nuse (\n\t.\n\t./staging/src/k8s.io/api\n\t./staging/src/k8s.io/sample-cli-plugin\n)\n"
	got := strings.Join(stagingUses(work), ",")
	if got != "api,sample-cli-plugin" {
		t.Errorf("got %s", got)
	}
}

func TestVersions(t *testing.T) {
	for in, want := range map[string]string{"1.36.3": "v1.36.3", "v1.35.4": "v1.35.4"} {
		if got, err := normalizeVersion(in); err != nil || got != want {
			t.Errorf("%s: %q %v", in, got, err)
		}
	}
	if _, err := normalizeVersion("1.36"); err == nil {
		t.Error("1.36 accepted")
	}
	if stagingVersion("v1.36.3") != "v0.36.3" {
		t.Error(stagingVersion("v1.36.3"))
	}
}

const junitExcerpt = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="5" disabled="0" errors="0" failures="1" time="150.1">
  <testsuite name="Kubernetes e2e suite" package="/x" tests="5" disabled="0" skipped="2" errors="0" failures="1" time="150.1" timestamp="2026-01-01T00:00:00">
    <properties><property name="SuiteSucceeded" value="false"></property></properties>
    <testcase name="[SynchronizedBeforeSuite]" classname="Kubernetes e2e suite" status="passed" time="1.5"></testcase>
    <testcase name="[It] [sig-network] DNS should provide DNS for services [Conformance]" classname="Kubernetes e2e suite" status="passed" time="20.5"></testcase>
    <testcase name="[It] [sig-network] Services should serve a basic endpoint [Conformance]" classname="Kubernetes e2e suite" status="failed" time="35"><failure message="timed out waiting&#xA;second line" type="failed">at service.go:1</failure></testcase>
    <testcase name="[It] [sig-storage] not selected" classname="Kubernetes e2e suite" status="skipped" time="0"><skipped message="skipped"></skipped></testcase>
    <testcase name="[It] [sig-network] skipped at run time [Conformance]" classname="Kubernetes e2e suite" status="skipped" time="0.1"><skipped message="skipped - Only supported for providers [gce]"></skipped></testcase>
  </testsuite>
</testsuites>`

func TestFilterJUnitKeepsTheSelectedSpecs(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.xml"), filepath.Join(dir, "out.xml")
	if err := os.WriteFile(in, []byte(junitExcerpt), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := filterJUnit(in, out)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Specs) != 3 || s.Passed != 1 || s.Failed != 1 || s.Skipped != 1 {
		t.Fatalf("summary %+v", s)
	}
	if s.Specs[1].Cause != "timed out waiting" {
		t.Errorf("cause %q", s.Specs[1].Cause)
	}
	if s.Slowest(1)[0].Seconds != 35 {
		t.Errorf("slowest %+v", s.Slowest(1))
	}
	data, _ := os.ReadFile(out)
	if strings.Contains(string(data), "not selected") || !strings.Contains(string(data), "SynchronizedBeforeSuite") {
		t.Errorf("filtered report:\n%s", data)
	}
	if !strings.Contains(string(data), `tests="4"`) || !strings.Contains(string(data), `failures="1"`) {
		t.Errorf("counts not recomputed:\n%s", data)
	}
}

func TestSpecCounterFollowsGinkgoOutput(t *testing.T) {
	c := &specCounter{}
	for _, chunk := range []string{"Will run 49 of 7441 specs\n", "------\n• [12.3", "45 seconds]\n[sig-network] x\n", "• [FAILED] [3.0 seconds]\n", "  [FAIL] summary line\n"} {
		c.Write([]byte(chunk))
	}
	if got := c.status(); got != "2 of 49 specs done, 1 failed" {
		t.Errorf("status %q", got)
	}
}

func TestWithoutLabelList(t *testing.T) {
	for in, want := range map[string]string{
		"[sig-network] DNS x [Conformance] [sig-network, Conformance]": "[sig-network] DNS x [Conformance]",
		"[sig-network] DNS x [Conformance]":                            "[sig-network] DNS x [Conformance]",
		"[sig-network] DNS x [Conformance] [Feature:Y]":                "[sig-network] DNS x [Conformance] [Feature:Y]",
	} {
		if got := withoutLabelList(in); got != want {
			t.Errorf("%q: got %q", in, got)
		}
	}
}

func TestParseImageList(t *testing.T) {
	out := "REF TYPE DIGEST SIZE PLATFORMS LABELS\n" +
		"registry.k8s.io/e2e-test-images/agnhost:2.63.0 application/vnd.docker.distribution.manifest.v2+json sha256:2f3c 200.0 MiB linux/amd64 io.cri-containerd.image=managed\n"
	got := parseImageList(out)
	if len(got) != 1 || got["registry.k8s.io/e2e-test-images/agnhost:2.63.0"] != "sha256:2f3c" {
		t.Errorf("got %v", got)
	}
}
