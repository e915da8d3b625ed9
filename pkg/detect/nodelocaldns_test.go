package detect

import (
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

// addonTemplate is kubernetes/cluster/addons/dns/nodelocaldns/nodelocaldns.yaml's
// Corefile as shipped: placeholders for the installer and node-cache.
const addonTemplate = `__PILLAR__DNS__DOMAIN__:53 {
    errors
    cache {
            success 9984 30
            denial 9984 5
    }
    reload
    loop
    bind __PILLAR__LOCAL__DNS__ __PILLAR__DNS__SERVER__
    forward . __PILLAR__CLUSTER__DNS__ {
            force_tcp
    }
    prometheus :9253
    health __PILLAR__LOCAL__DNS__:8080
    }
in-addr.arpa:53 {
    errors
    cache 30
    reload
    loop
    bind __PILLAR__LOCAL__DNS__ __PILLAR__DNS__SERVER__
    forward . __PILLAR__CLUSTER__DNS__ {
            force_tcp
    }
    prometheus :9253
    }
.:53 {
    errors
    cache 30
    reload
    loop
    bind __PILLAR__LOCAL__DNS__ __PILLAR__DNS__SERVER__
    forward . __PILLAR__UPSTREAM__SERVERS__
    prometheus :9253
    }
`

// iptablesMode is the template after the documented sed for kube-proxy in
// iptables mode: the cache binds the link-local address and kube-dns's
// ClusterIP (pods keep 10.96.0.10 in resolv.conf, as on GKE).
var iptablesMode = strings.NewReplacer("__PILLAR__DNS__DOMAIN__", "cluster.local",
	"__PILLAR__LOCAL__DNS__", "169.254.20.10", "__PILLAR__DNS__SERVER__", "10.96.0.10").Replace(addonTemplate)

// ipvsMode is the sed for IPVS mode: the cache binds only the link-local
// address, forwards to kube-dns, and kubelet --cluster-dns points pods at it.
var ipvsMode = strings.NewReplacer("__PILLAR__DNS__DOMAIN__", "cluster.local",
	"__PILLAR__LOCAL__DNS__", "169.254.20.10", " __PILLAR__DNS__SERVER__", "",
	"__PILLAR__CLUSTER__DNS__", "10.96.0.10").Replace(addonTemplate)

// kubespray is the ConfigMap kube-system/nodelocaldns that kubespray writes.
const kubespray = `cluster.local:53 {
    errors
    cache {
        success 9984 30
        denial 9984 5
    }
    reload
    loop
    bind 169.254.25.10
    forward . 10.233.0.3 {
        force_tcp
    }
    prometheus :9253
    health 169.254.25.10:9254
}
in-addr.arpa:53 {
    errors
    cache 30
    reload
    loop
    bind 169.254.25.10
    forward . 10.233.0.3 {
        force_tcp
    }
    prometheus :9253
}
.:53 {
    errors
    cache 30
    reload
    loop
    bind 169.254.25.10
    forward . /etc/resolv.conf
    prometheus :9253
}
`

func TestParseNodeLocalDNS(t *testing.T) {
	for _, tc := range []struct {
		name, corefile, zone string
		ok                   bool
		want                 NodeLocalDNS
	}{
		{"addon template", addonTemplate, "cluster.local", true,
			NodeLocalDNS{Binds: []string{"__PILLAR__LOCAL__DNS__", "__PILLAR__DNS__SERVER__"}, Upstreams: []string{"__PILLAR__CLUSTER__DNS__"}}},
		{"iptables mode", iptablesMode, "cluster.local", true,
			NodeLocalDNS{Binds: []string{"169.254.20.10", "10.96.0.10"}, Upstreams: []string{"__PILLAR__CLUSTER__DNS__"}}},
		{"ipvs mode", ipvsMode, "cluster.local", true,
			NodeLocalDNS{Binds: []string{"169.254.20.10"}, Upstreams: []string{"10.96.0.10"}}},
		{"kubespray", kubespray, "cluster.local", true,
			NodeLocalDNS{Binds: []string{"169.254.25.10"}, Upstreams: []string{"10.233.0.3"}}},
		{"zone written absolute", "cluster.local.:53 {\n bind 169.254.20.10\n forward . 10.96.0.10\n}\n", "cluster.local", true,
			NodeLocalDNS{Binds: []string{"169.254.20.10"}, Upstreams: []string{"10.96.0.10"}}},
		{"another zone", kubespray, "corp.example", false, NodeLocalDNS{}},
		{"only a catch-all block", ".:53 {\n bind 169.254.20.10\n forward . /etc/resolv.conf\n}\n", "cluster.local", false, NodeLocalDNS{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ParseNodeLocalDNS(tc.corefile, tc.zone)
			assert.Equal(t, ok, tc.ok)
			assert.DeepEqual(t, got, tc.want)
		})
	}
}

func TestDNSPath(t *testing.T) {
	parse := func(corefile string) *NodeLocalDNS {
		nl, ok := ParseNodeLocalDNS(corefile, "cluster.local")
		assert.Assert(t, ok)
		return &nl
	}
	for _, tc := range []struct {
		name        string
		nameservers []string
		kubeDNS     string
		upstream    string
		nl          *NodeLocalDNS
		want        PathKind
		why         string
	}{
		{"no cache: kube-dns is the nameserver", []string{"10.96.0.10"}, "10.96.0.10", "", nil, Direct, "ClusterIP of kube-system/kube-dns"},
		{"a cache that does not bind kube-dns's IP leaves the path direct", []string{"10.96.0.10"}, "10.96.0.10", "", parse(ipvsMode), Direct, "ClusterIP"},
		{"iptables mode: the cache answers at kube-dns's IP", []string{"10.96.0.10"}, "10.96.0.10", "10.96.45.7", parse(iptablesMode), NodeLocalIntercept, "kube-dns-upstream Service"},
		{"addon template: the placeholders stand for the link-local and kube-dns addresses", []string{"169.254.20.10"}, "10.96.0.10", "10.96.45.7", parse(addonTemplate), NodeLocalLinkLocal, "kube-dns-upstream"},
		{"ipvs mode: link-local nameserver forwarding to kube-dns", []string{"169.254.20.10"}, "10.96.0.10", "", parse(ipvsMode), NodeLocalLinkLocal, "forwards the cluster zone to kube-dns 10.96.0.10"},
		{"kubespray", []string{"169.254.25.10"}, "10.233.0.3", "", parse(kubespray), NodeLocalLinkLocal, "NodeLocal DNSCache"},
		{"forward to the upstream Service's IP", []string{"169.254.20.10"}, "10.96.0.10", "10.96.45.7",
			&NodeLocalDNS{Binds: []string{"169.254.20.10"}, Upstreams: []string{"dns://10.96.45.7:53"}}, NodeLocalLinkLocal, "kube-dns-upstream Service 10.96.45.7"},
		{"link-local nameserver without a cache config", []string{"169.254.20.10"}, "10.96.0.10", "", nil, Unexplained, "no NodeLocal DNSCache config"},
		{"a cache on another address", []string{"169.254.20.11"}, "10.96.0.10", "", parse(ipvsMode), Unexplained, "neither kube-dns's ClusterIP"},
		{"a cache forwarding the zone elsewhere", []string{"169.254.20.10"}, "10.96.0.10", "",
			&NodeLocalDNS{Binds: []string{"169.254.20.10"}, Upstreams: []string{"8.8.8.8"}}, Unexplained, "not to kube-dns"},
		{"another nameserver, no cache", []string{"192.168.1.1"}, "10.96.0.10", "", nil, Unexplained, "neither kube-dns's ClusterIP 10.96.0.10 nor"},
		{"no nameserver", nil, "10.96.0.10", "", nil, Unexplained, "no nameserver"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := DNSPath(tc.nameservers, tc.kubeDNS, tc.upstream, tc.nl)
			assert.Equal(t, p.Kind, tc.want, p.Why)
			assert.Assert(t, strings.Contains(p.Why, tc.why), "why %q, want it to contain %q", p.Why, tc.why)
		})
	}
}
