// Package claims is the registry of the networking claims the suite checks:
// the catalogue CLAIMS.md (embedded, the single source of truth), the
// verdicts the tests record, and the reports made from them.
package claims

import (
	_ "embed"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

//go:embed CLAIMS.md
var catalogue string

// Claim is one row of the catalogue.
type Claim struct {
	ID        string   `json:"id"`
	Area      string   `json:"area"` // POD, SVC, ENV, DNS, NP, JOB, EXT
	Claim     string   `json:"claim"`
	Sources   []string `json:"sources"` // seed document numbers, e.g. "001"
	Behaviour string   `json:"behaviour"`
	Scope     string   `json:"scope"` // core or env
}

var idPattern = regexp.MustCompile(`^[A-Z]+-\d\d$`)

// Parse reads the claim tables of a catalogue in CLAIMS.md's format. Rows
// have five columns (ID, claim, source, behaviour, scope) or, for claims
// beyond the documents, three (ID, behaviour, scope).
func Parse(md string) ([]Claim, error) {
	var out []Claim
	seen := map[string]bool{}
	for n, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "| ") {
			continue
		}
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if !idPattern.MatchString(cells[0]) {
			continue // header or separator
		}
		c := Claim{ID: cells[0], Area: strings.Split(cells[0], "-")[0]}
		switch len(cells) {
		case 5:
			c.Claim, c.Sources, c.Behaviour, c.Scope = cells[1], strings.Fields(cells[2]), cells[3], cells[4]
		case 3:
			c.Claim, c.Behaviour, c.Scope = cells[1], cells[1], cells[2]
		default:
			return nil, fmt.Errorf("line %d: %d columns in row %s", n+1, len(cells), cells[0])
		}
		if c.Scope != "core" && c.Scope != "env" {
			return nil, fmt.Errorf("line %d: %s has scope %q, want core or env", n+1, c.ID, c.Scope)
		}
		if seen[c.ID] {
			return nil, fmt.Errorf("line %d: %s listed twice", n+1, c.ID)
		}
		seen[c.ID] = true
		out = append(out, c)
	}
	return out, nil
}

var registry = mustParse()

func mustParse() map[string]Claim {
	list, err := Parse(catalogue)
	if err != nil {
		panic("embedded CLAIMS.md: " + err.Error())
	}
	m := map[string]Claim{}
	for _, c := range list {
		m[c.ID] = c
	}
	return m
}

// Lookup returns the claim with id.
func Lookup(id string) (Claim, bool) {
	c, ok := registry[id]
	return c, ok
}

// All returns every claim, in catalogue order (area, then number).
func All() []Claim {
	out := make([]Claim, 0, len(registry))
	for _, c := range registry {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return Less(out[i].ID, out[j].ID) })
	return out
}

var areaOrder = map[string]int{"POD": 0, "SVC": 1, "ENV": 2, "DNS": 3, "NP": 4, "JOB": 5, "EXT": 6}

// Less orders IDs as the catalogue does.
func Less(a, b string) bool {
	aa, bb := strings.Split(a, "-")[0], strings.Split(b, "-")[0]
	if aa != bb {
		return areaOrder[aa] < areaOrder[bb]
	}
	return a < b
}
