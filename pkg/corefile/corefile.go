// Package corefile reads the facts of a CoreDNS Corefile that DNS claims
// depend on: how long answers may be cached, and whether pod records exist.
package corefile

import (
	"strconv"
	"strings"
	"time"
)

// Facts of the server block that serves the cluster zone.
type Facts struct {
	Zone           string        // e.g. cluster.local
	RecordTTL      time.Duration // kubernetes plugin ttl (default 5 s)
	CacheSuccess   time.Duration // how long a positive answer for the zone may be cached (0: not cached)
	CacheDenial    time.Duration // how long NXDOMAIN for the zone may be cached (0: not cached)
	PodsMode       string        // kubernetes plugin `pods`: disabled (default), insecure, verified
	HasKubernetes  bool
	ForwardPresent bool
}

// Parse reads the block with the kubernetes plugin serving zone.
func Parse(corefile, zone string) Facts {
	f := Facts{Zone: zone, RecordTTL: 5 * time.Second, PodsMode: "disabled"}
	var plugin string
	cacheTTL := time.Duration(0)
	var disabledSuccess, disabledDenial bool
	depth := 0
	for _, raw := range strings.Split(corefile, "\n") {
		line := strings.TrimSpace(raw)
		if i := strings.Index(line, "#"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		fields := strings.Fields(strings.Trim(line, "{}"))
		opens, closes := strings.Count(line, "{"), strings.Count(line, "}")
		if len(fields) > 0 {
			switch depth {
			case 1:
				plugin = fields[0]
				switch plugin {
				case "kubernetes":
					f.HasKubernetes = covers(fields[1:], zone)
				case "cache":
					cacheTTL = 3600 * time.Second // CoreDNS's default maximum TTL
					if len(fields) > 1 {
						if n, err := strconv.Atoi(fields[1]); err == nil {
							cacheTTL = time.Duration(n) * time.Second
						}
					}
				case "forward":
					f.ForwardPresent = true
				}
			case 2:
				switch {
				case plugin == "kubernetes" && fields[0] == "ttl" && len(fields) > 1:
					if n, err := strconv.Atoi(fields[1]); err == nil {
						f.RecordTTL = time.Duration(n) * time.Second
					}
				case plugin == "kubernetes" && fields[0] == "pods" && len(fields) > 1:
					f.PodsMode = fields[1]
				case plugin == "cache" && fields[0] == "disable" && len(fields) > 1:
					if len(fields) == 2 || covers(fields[2:], zone) {
						disabledSuccess = disabledSuccess || fields[1] == "success"
						disabledDenial = disabledDenial || fields[1] == "denial"
					}
				}
			}
		}
		depth += opens - closes
	}
	if cacheTTL > 0 {
		if !disabledSuccess {
			f.CacheSuccess = min(cacheTTL, f.RecordTTL)
		}
		if !disabledDenial {
			f.CacheDenial = min(cacheTTL, f.RecordTTL)
		}
	}
	return f
}

// covers reports whether the zone list (empty: the block's zones) includes zone.
func covers(zones []string, zone string) bool {
	if len(zones) == 0 {
		return true
	}
	for _, z := range zones {
		z = strings.TrimSuffix(z, ".")
		if z == zone || z == "." || strings.HasSuffix(zone, "."+z) {
			return true
		}
	}
	return false
}
