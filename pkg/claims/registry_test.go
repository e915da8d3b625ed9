package claims

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

func TestCatalogueParses(t *testing.T) {
	all := All()
	perArea := map[string]int{}
	for _, c := range all {
		perArea[c.Area]++
		assert.Assert(t, c.Behaviour != "" && c.Claim != "", "%s is incomplete", c.ID)
	}
	assert.DeepEqual(t, perArea, map[string]int{"POD": 12, "SVC": 25, "ENV": 11, "DNS": 20, "NP": 4, "JOB": 3, "EXT": 16})
	dns07, ok := Lookup("DNS-07")
	assert.Assert(t, ok)
	assert.DeepEqual(t, dns07.Sources, []string{"001"})
	assert.Equal(t, dns07.Scope, "core")
	assert.Equal(t, all[0].ID, "POD-01")
	assert.Equal(t, all[len(all)-1].ID, "EXT-16")
}

func TestParseRejectsBadRows(t *testing.T) {
	_, err := Parse("| POD-01 | a | 000 | b | maybe |\n")
	assert.ErrorContains(t, err, "scope")
	_, err = Parse("| POD-01 | a | 000 | b | core |\n| POD-01 | a | 000 | b | core |\n")
	assert.ErrorContains(t, err, "twice")
	_, err = Parse("| POD-01 | a | core | x |\n")
	assert.ErrorContains(t, err, "columns")
}

// TestCatalogueIsTheSharedOne: pkg/claims/CLAIMS.md is the workspace's
// catalogue, byte for byte, where the workspace (../shared) exists.
func TestCatalogueIsTheSharedOne(t *testing.T) {
	shared, err := os.ReadFile("../../../shared/CLAIMS.md")
	if os.IsNotExist(err) {
		t.Skip("no ../shared/CLAIMS.md beside the repository (not the project's workspace)")
	}
	assert.NilError(t, err)
	if string(shared) != catalogue {
		t.Errorf("pkg/claims/CLAIMS.md differs from ../shared/CLAIMS.md: copy the shared one (cp ../shared/CLAIMS.md pkg/claims/)")
	}
}

// TestEveryClaimHasATest holds the registry and the suite together: each
// catalogue ID is checked by exactly one claim function that its area's Run
// passes to the test list, or is listed in pending.txt with the reason.
func TestEveryClaimHasATest(t *testing.T) {
	wired, err := wiredClaims("../../tests")
	assert.NilError(t, err)
	assert.Assert(t, len(wired) > 0)
	pending := readPending(t)
	for id, where := range wired {
		_, known := Lookup(id)
		assert.Assert(t, known, "%s checks %s, which is not in the catalogue", where, id)
	}
	for _, c := range All() {
		where, has := wired[c.ID]
		reason, isPending := pending[c.ID]
		switch {
		case has && isPending:
			t.Errorf("%s has a test (%s): remove it from pending.txt", c.ID, where)
		case !has && !isPending:
			t.Errorf("%s has no test wired into its area: write one (tests/<area>/) and add it to the area's Run, or list it in pkg/claims/pending.txt with the reason", c.ID)
		case isPending && reason == "":
			t.Errorf("%s is pending without a reason", c.ID)
		}
	}
	assert.DeepEqual(t, pending, Pending())
}

func TestWiringCatchesAClaimLeftOutOfItsArea(t *testing.T) {
	dir := t.TempDir()
	area := filepath.Join(dir, "dns")
	assert.NilError(t, os.Mkdir(area, 0o755))
	write := func(name, src string) {
		assert.NilError(t, os.WriteFile(filepath.Join(area, name), []byte(src), 0o644))
	}
	write("dns.go", "package dns\nfunc Run(t *testing.T, testenv env.Environment) { testenv.TestInParallel(t, dns01(f)) }\n")
	write("dns01.go", "package dns\nfunc dns01(f *fixture) features.Feature { return verdict.Claim(\"DNS-01\", &chk).Feature() }\n")
	write("dns02.go", "package dns\nfunc dns02(f *fixture) features.Feature { return verdict.Claim(\"DNS-02\", &chk).Feature() }\n")
	_, err := wiredClaims(dir)
	assert.ErrorContains(t, err, "DNS-02")
	assert.ErrorContains(t, err, "dns02")
}

func readPending(t *testing.T) map[string]string {
	f, err := os.Open("pending.txt") // the same list Pending() embeds
	assert.NilError(t, err)
	defer f.Close()
	out := map[string]string{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := strings.TrimSpace(s.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, _ := strings.Cut(line, " ")
		out[id] = strings.TrimSpace(reason)
	}
	return out
}
