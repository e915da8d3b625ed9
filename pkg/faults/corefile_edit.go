package faults

import (
	"fmt"
	"strings"

	"github.com/netconform/netconform/pkg/corefile"
)

// WithoutPodRecords is corefile with the `pods` option of every kubernetes
// plugin block removed, which turns pod records off (CoreDNS's default,
// `pods disabled`). Every other byte is kept. It fails when there is no
// such option: the records are off already, and the fault would be none.
func WithoutPodRecords(cf string) (string, error) {
	lines := strings.SplitAfter(cf, "\n")
	var out strings.Builder
	depth, plugin, removed := 0, "", 0
	for _, raw := range lines {
		line := strings.TrimSpace(raw)
		if i := strings.Index(line, "#"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		fields := strings.Fields(strings.Trim(line, "{}"))
		if depth == 1 && len(fields) > 0 {
			plugin = fields[0]
		}
		if depth == 2 && plugin == "kubernetes" && len(fields) > 0 && fields[0] == "pods" && !strings.ContainsAny(line, "{}") {
			removed++
			continue
		}
		out.WriteString(raw)
		depth += strings.Count(line, "{") - strings.Count(line, "}")
	}
	if removed == 0 {
		return "", fmt.Errorf("the Corefile's kubernetes plugin has no `pods` option: pod records are off already")
	}
	return out.String(), nil
}

// clusterZone is the first zone the kubernetes plugin serves (cluster.local
// unless the Corefile says otherwise).
func clusterZone(cf string) string {
	for _, raw := range strings.Split(cf, "\n") {
		f := strings.Fields(strings.TrimSpace(strings.Trim(strings.TrimSpace(raw), "{")))
		if len(f) > 1 && f[0] == "kubernetes" {
			return strings.TrimSuffix(f[1], ".")
		}
	}
	return "cluster.local"
}

// podsMode is what the Corefile says of pod records in zone.
func podsMode(cf, zone string) string { return corefile.Parse(cf, zone).PodsMode }
