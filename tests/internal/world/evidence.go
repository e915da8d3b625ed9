//go:build e2e

package world

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/netconform/netconform/pkg/probe"
	"github.com/netconform/netconform/pkg/verdict"
)

// Evidence records one observation as `src -> dst = result`.
func Evidence(chk *verdict.Check, src fmt.Stringer, dst, result string) {
	chk.Evidence("%s -> %s = %s", src, dst, result)
}

// HTTPSummary renders an HTTP result for evidence lines.
func HTTPSummary(r probe.HTTPResult) string {
	s := fmt.Sprintf("%d/%d ok", r.OK, r.Tries)
	if len(r.BackendCounts) > 0 {
		s += " backends " + Counts(r.BackendCounts)
	}
	if r.ErrorCount > 0 {
		s += fmt.Sprintf(", %d errors (refused %d, timeout %d, unreachable %d)", r.ErrorCount, r.Refused, r.Timeouts, r.Unreachable)
		if len(r.Errors) > 0 {
			s += ": " + r.Errors[0].Error
		}
	}
	return s
}

// DialSummary renders a TCP/UDP dial result for evidence lines.
func DialSummary(r probe.DialResult) string {
	s := fmt.Sprintf("%d/%d ok", r.OK, r.Tries)
	if len(r.BackendCounts) > 0 {
		s += " backends " + Counts(r.BackendCounts)
	}
	if r.ErrorCount > 0 {
		s += fmt.Sprintf(", %d errors (refused %d, timeout %d)", r.ErrorCount, r.Refused, r.Timeouts)
	}
	return s
}

// Counts renders {a:3 b:2} sorted by key.
func Counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s:%d", k, m[k])
	}
	return "{" + strings.Join(parts, " ") + "}"
}

// ArrivalPort is the pod port an /info request arrived on (0: not an /info answer).
func ArrivalPort(r probe.HTTPResult) int {
	var info probe.Info
	if json.Unmarshal([]byte(r.Body), &info) != nil {
		return 0
	}
	return info.Port
}
