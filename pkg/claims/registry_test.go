package claims

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
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
	assert.DeepEqual(t, perArea, map[string]int{"POD": 9, "SVC": 22, "ENV": 9, "DNS": 16, "NP": 4, "JOB": 2, "EXT": 8})
	dns07, ok := Lookup("DNS-07")
	assert.Assert(t, ok)
	assert.DeepEqual(t, dns07.Sources, []string{"001"})
	assert.Equal(t, dns07.Scope, "core")
	assert.Equal(t, all[0].ID, "POD-01")
	assert.Equal(t, all[len(all)-1].ID, "EXT-08")
}

func TestParseRejectsBadRows(t *testing.T) {
	_, err := Parse("| POD-01 | a | 000 | b | maybe |\n")
	assert.ErrorContains(t, err, "scope")
	_, err = Parse("| POD-01 | a | 000 | b | core |\n| POD-01 | a | 000 | b | core |\n")
	assert.ErrorContains(t, err, "twice")
	_, err = Parse("| POD-01 | a | core | x |\n")
	assert.ErrorContains(t, err, "columns")
}

// claimInTest finds the claim a test checks: world.Claim("ID", ...).
var claimInTest = regexp.MustCompile(`world\.Claim\("([A-Z]+-\d\d)"`)

// TestEveryClaimHasATest holds the registry and the suite together: each
// catalogue ID has a test or is listed in pending.txt with the reason, and
// each test names a catalogue ID.
func TestEveryClaimHasATest(t *testing.T) {
	tested := map[string]string{}
	files, err := filepath.Glob("../../tests/*/*_test.go")
	assert.NilError(t, err)
	assert.Assert(t, len(files) > 0)
	for _, f := range files {
		src, err := os.ReadFile(f)
		assert.NilError(t, err)
		for _, m := range claimInTest.FindAllStringSubmatch(string(src), -1) {
			_, known := Lookup(m[1])
			assert.Assert(t, known, "%s checks %s, which is not in the catalogue", f, m[1])
			if prev, dup := tested[m[1]]; dup {
				t.Errorf("%s is checked twice: %s and %s", m[1], prev, f)
			}
			tested[m[1]] = f
		}
	}
	pending := readPending(t)
	for _, c := range All() {
		_, has := tested[c.ID]
		reason, isPending := pending[c.ID]
		switch {
		case has && isPending:
			t.Errorf("%s has a test (%s): remove it from pending.txt", c.ID, tested[c.ID])
		case !has && !isPending:
			t.Errorf("%s has no test: write one (tests/<area>/) or list it in pkg/claims/pending.txt with the reason", c.ID)
		case isPending && reason == "":
			t.Errorf("%s is pending without a reason", c.ID)
		}
	}
}

func readPending(t *testing.T) map[string]string {
	f, err := os.Open("pending.txt")
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
