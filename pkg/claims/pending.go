package claims

import (
	_ "embed"
	"strings"
)

//go:embed pending.txt
var pendingList string

// Pending returns the catalogue claims that have no test yet, with why
// (pending.txt: one "ID reason" per line).
func Pending() map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(pendingList, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, _ := strings.Cut(line, " ")
		out[id] = strings.TrimSpace(reason)
	}
	return out
}
