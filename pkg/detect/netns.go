package detect

import (
	"bufio"
	"encoding/hex"
	"net/netip"
	"sort"
	"strings"
)

// NetnsAddrs are the addresses a network namespace holds, as its kernel
// lists them to any process in it (/proc/net/fib_trie and
// /proc/net/if_inet6): what a container really has, whatever the API
// says. Loopback and IPv6 link-local addresses are left out: every
// namespace has its own, so they name no one.
func NetnsAddrs(fibTrie, ifInet6 string) []netip.Addr {
	seen := map[netip.Addr]bool{}
	// fib_trie lists each local address as a leaf "|-- A" followed by
	// "/32 host LOCAL" (in both its Main and Local tables).
	var leaf netip.Addr
	sc := bufio.NewScanner(strings.NewReader(fibTrie))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "|-- "); ok {
			leaf, _ = netip.ParseAddr(rest)
			continue
		}
		if strings.HasPrefix(line, "/32 host LOCAL") && leaf.IsValid() && !leaf.IsLoopback() {
			seen[leaf] = true
		}
	}
	// if_inet6: address (32 hex digits), ifindex, prefix length, scope,
	// flags, device; scope 00 is global.
	sc = bufio.NewScanner(strings.NewReader(ifInet6))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 6 || len(f[0]) != 32 || f[3] != "00" {
			continue
		}
		raw, err := hex.DecodeString(f[0])
		if err != nil {
			continue
		}
		if a := netip.AddrFrom16([16]byte(raw)); !a.IsLoopback() && !a.IsLinkLocalUnicast() {
			seen[a] = true
		}
	}
	out := make([]netip.Addr, 0, len(seen))
	for a := range seen {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Less(out[j]) })
	return out
}
