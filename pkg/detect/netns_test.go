package detect

import (
	"fmt"
	"testing"

	"gotest.tools/v3/assert"
)

// What `cat /proc/net/fib_trie` prints in a pod with one interface
// (eth0 10.244.1.5/24), as on kind with kindnet or flannel.
const podFibTrie = `Main:
  +-- 0.0.0.0/0 3 0 5
     |-- 0.0.0.0
        /0 universe UNICAST
     +-- 10.244.1.0/24 2 0 2
        +-- 10.244.1.0/28 2 0 2
           |-- 10.244.1.0
              /24 link UNICAST
           |-- 10.244.1.5
              /32 host LOCAL
        |-- 10.244.1.255
           /32 link BROADCAST
     +-- 127.0.0.0/8 2 0 2
        +-- 127.0.0.0/31 1 0 0
           |-- 127.0.0.0
              /8 host LOCAL
           |-- 127.0.0.1
              /32 host LOCAL
        |-- 127.255.255.255
           /32 link BROADCAST
Local:
  +-- 0.0.0.0/0 3 0 5
     +-- 10.244.1.0/24 2 0 2
        |-- 10.244.1.5
           /32 host LOCAL
     +-- 127.0.0.0/8 2 0 2
        |-- 127.0.0.1
           /32 host LOCAL
`

// /proc/net/if_inet6 of a dual-stack pod: loopback, link-local, global.
const podIfInet6 = `00000000000000000000000000000001 01 80 10 80       lo
fd00001002440001000000000000000a 02 40 00 00     eth0
fe80000000000000a8c1abfffe123456 02 40 20 80     eth0
`

func TestNetnsAddrs(t *testing.T) {
	got := NetnsAddrs(podFibTrie, podIfInet6)
	assert.Equal(t, fmt.Sprint(got), "[10.244.1.5 fd00:10:244:1::a]")
}

func TestNetnsAddrsSingleStackEmptyInet6(t *testing.T) {
	// A pod without IPv6 may have no /proc/net/if_inet6 at all.
	assert.Equal(t, fmt.Sprint(NetnsAddrs(podFibTrie, "")), "[10.244.1.5]")
	assert.Equal(t, len(NetnsAddrs("", "")), 0)
}
