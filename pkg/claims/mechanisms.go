package claims

import (
	"fmt"
	"sort"
	"strings"
)

// Mechanism is one thing a cluster does that a single fault can break on
// its own; a claim's verdict rests on the mechanisms it declares, so
// breaking one should change exactly the claims that rest on it.
type Mechanism string

const (
	PodNetworkNode  Mechanism = "pod-network-node"       // pods on one node reach each other
	PodNetworkCross Mechanism = "pod-network-cross"      // pods on different nodes reach each other
	PodSourceIP     Mechanism = "pod-source-ip"          // no SNAT between pods
	NodeToPod       Mechanism = "node-to-pod"            // a node's own network namespace reaches pods
	PodIPAM         Mechanism = "pod-ipam"               // each pod gets its own IP from the cluster's ranges
	ClusterIP       Mechanism = "clusterip"              // ClusterIP proxying on every node
	NodePort        Mechanism = "nodeport"               // NodePort proxying on every node
	EndpointSlices  Mechanism = "endpointslices"         // EndpointSlices follow pods and their readiness
	ClusterDNS      Mechanism = "cluster-dns"            // the DNS add-on answers service names
	DNSPodRecords   Mechanism = "dns-pod-records"        // the DNS add-on answers pod records
	ServiceEnv      Mechanism = "service-env"            // kubelet injects service environment variables
	KubernetesEnv   Mechanism = "kubernetes-service-env" // kubelet injects the kubernetes Service's variables into every pod
	APIValidation   Mechanism = "api-validation"         // the API server validates and allocates (IPs, ports, names)
	Isolation       Mechanism = "isolation"              // pod and service addresses are not routed from outside
	NetworkPolicy   Mechanism = "networkpolicy"          // NetworkPolicy enforcement
	PathMTU         Mechanism = "path-mtu"               // MTU set right across nodes
)

// Mechanisms is the vocabulary, in the order reports list it.
var Mechanisms = []Mechanism{PodNetworkNode, PodNetworkCross, PodSourceIP, NodeToPod, PodIPAM, ClusterIP, NodePort,
	EndpointSlices, ClusterDNS, DNSPodRecords, ServiceEnv, KubernetesEnv, APIValidation, Isolation, NetworkPolicy, PathMTU}

// awaitingDataplanes are mechanisms whose claims (EXT-15, EXT-12) come with
// the dataplanes issue; until then no fault needs to break them.
var awaitingDataplanes = map[Mechanism]bool{NetworkPolicy: true, PathMTU: true}

// Facts are what a claim's verdict rests on and where it does not apply.
type Facts struct {
	Rests []Mechanism
	// NotApplicable lists the set-ups that make the claim not applicable
	// (detected, with the reason in the report); "" when none does.
	NotApplicable string
}

// Every DNS query goes to the kube-dns ClusterIP and on to a CoreDNS pod,
// through kube-dns's EndpointSlices, made long before any claim: a DNS claim
// rests on new slices only where it asks for a headless Service's records
// or sends requests by name (the EndpointSlice controller stopped left
// every other DNS claim as it was).
// The self-test's pod-network faults let DNS traffic pass (where the
// scheduler put CoreDNS must not decide which DNS claims they change); the
// DNS path has faults of its own.
var dnsPath = []Mechanism{ClusterDNS, ClusterIP}

// servicePath: a request through a Service from client pods to every one
// of its backends, on every node (world.EveryBackend, a steady window): one
// broken pair of nodes, or pods of one node that cannot reach each other,
// changes the claim every time.
var servicePath = []Mechanism{ClusterIP, EndpointSlices, PodNetworkCross, PodNetworkNode}

// serviceAnswer: a request through a Service that any one backend may
// answer. It rests on the proxying and the endpoints, not on a given pair
// of nodes: with one worker cut off, or same-node traffic dropped, another
// backend answers (as the self-test showed for each claim listed with it).
var serviceAnswer = []Mechanism{ClusterIP, EndpointSlices}

const (
	notOurs          = "a cluster the suite did not make (no observer outside it)"
	disruptiveNotOur = "a cluster the suite did not make (it disrupts nodes only of its own clusters)"
)

func rests(groups ...[]Mechanism) []Mechanism {
	seen := map[Mechanism]bool{}
	var out []Mechanism
	for _, g := range groups {
		for _, m := range g {
			if !seen[m] {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	return out
}

func m(ms ...Mechanism) []Mechanism { return ms }

// facts is keyed by claim ID; every tested claim has an entry (unit test).
var facts = map[string]Facts{
	"POD-01": {Rests: m(PodIPAM)},
	"POD-02": {Rests: m(PodIPAM)},
	"POD-03": {Rests: m(PodNetworkNode, PodNetworkCross)},
	"POD-04": {Rests: m(PodNetworkNode, PodNetworkCross, PodSourceIP)},
	"POD-05": {Rests: m(PodIPAM, PodNetworkNode)}, // client and pods on one node
	"POD-06": {Rests: m(PodIPAM)},
	"POD-07": {Rests: m(Isolation, NodePort, EndpointSlices, PodNetworkNode), NotApplicable: notOurs}, // its controls: server-0 from the client on its node, a NodePort from outside
	"POD-08": {Rests: m(PodNetworkCross, PodNetworkNode), NotApplicable: "a block beside a cluster-wide policy that can deny (AdminNetworkPolicy, BaselineAdminNetworkPolicy, Calico GlobalNetworkPolicy, CiliumClusterwideNetworkPolicy, Antrea ClusterNetworkPolicy), or beside a policy API the suite cannot read"},
	"POD-09": {Rests: m(PodIPAM)}, // each pod's own network namespace; only loopback is used
	"POD-10": {Rests: m(NodeToPod), NotApplicable: "only Windows nodes (host-network pods there need not reach pods)"},
	"POD-11": {Rests: rests(m(PodIPAM, PodNetworkCross), serviceAnswer, dnsPath), NotApplicable: disruptiveNotOur + "; no node reserved for disruptive claims; every pod IP kept across the restart (\"can change\" neither shown nor refuted)"},
	"POD-12": {Rests: m(PodIPAM)},

	"SVC-01": {Rests: m(APIValidation)},
	"SVC-02": {Rests: m(APIValidation)}, // the ClusterIP as the API keeps it; no request is judged
	"SVC-03": {Rests: m(EndpointSlices)},
	"SVC-04": {Rests: rests(serviceAnswer, dnsPath)}, // svc:8081 by name
	"SVC-05": {Rests: serviceAnswer},
	"SVC-06": {Rests: rests(serviceAnswer, m(PodNetworkCross))}, // its one pod on the first node, the client on the last
	"SVC-07": {Rests: servicePath},
	"SVC-08": {Rests: serviceAnswer},
	"SVC-09": {Rests: rests(serviceAnswer, m(PodSourceIP, PodNetworkNode, PodNetworkCross))}, // every pair of client and backend nodes
	"SVC-10": {Rests: rests(m(Isolation, NodePort), serviceAnswer), NotApplicable: notOurs},
	"SVC-11": {Rests: servicePath},
	"SVC-12": {Rests: servicePath},
	"SVC-13": {Rests: servicePath},
	"SVC-14": {Rests: m(APIValidation)},
	"SVC-15": {Rests: rests(servicePath, dnsPath)},                       // orchestrator beside the client, ocr and ner across
	"SVC-16": {Rests: rests(serviceAnswer, dnsPath, m(PodNetworkCross))}, // one server on the first node, the client on the last
	"SVC-17": {Rests: rests(serviceAnswer, m(PodNetworkCross), dnsPath)}, // server and client on two given nodes
	"SVC-18": {Rests: servicePath},
	"SVC-19": {Rests: servicePath},
	"SVC-20": {Rests: m(ClusterIP, EndpointSlices), NotApplicable: "kube-proxy replaced by the CNI (Cilium, kube-router, Antrea, OVN-Kubernetes, Calico eBPF), or no kube-proxy found at all (no DaemonSet, no known replacement, nothing on port 10256)"},
	"SVC-21": {Rests: m(APIValidation)},
	"SVC-22": {Rests: m(EndpointSlices)},
	"SVC-23": {Rests: servicePath},                                                                                                                                                                                                                     // both pairs: world.Across
	"SVC-24": {Rests: m(EndpointSlices, PodNetworkCross), NotApplicable: disruptiveNotOur + "; no node reserved for disruptive claims; no kube-proxy to stop (replaced by the CNI, or none); a kube-proxy mode other than iptables, nftables or ipvs"}, // its client is on a reserved node, with no world server beside it; the ClusterIP rules it uses are that node's, which no fault touches (kube-proxy-removed left it, self-test 2026-12-04)
	"SVC-25": {Rests: m(ClusterIP, PodNetworkCross, PodNetworkNode)},

	"ENV-01": {Rests: m(ServiceEnv)},
	"ENV-02": {Rests: m(ServiceEnv)},
	"ENV-03": {Rests: m(ServiceEnv)},
	"ENV-04": {Rests: m(ServiceEnv)},
	"ENV-05": {Rests: m(ServiceEnv)},
	"ENV-06": {Rests: m(ServiceEnv)},
	"ENV-07": {Rests: rests(m(ServiceEnv), serviceAnswer, m(PodNetworkCross))}, // the server on the first node, its Jobs on the last
	"ENV-08": {Rests: m(KubernetesEnv)},                                        // injected whatever enableServiceLinks says: service-links-off leaves it (self-test, 2026-12-04)
	"ENV-09": {Rests: m(ServiceEnv)},
	"ENV-10": {Rests: m(ServiceEnv)},
	"ENV-11": {Rests: m(ServiceEnv)},

	"DNS-01": {Rests: dnsPath}, // it asks kube-dns's ClusterIP (failed under kube-proxy-removed, self-test 2026-12-04)
	"DNS-02": {Rests: dnsPath}, // the bare name answered through the search list
	"DNS-03": {Rests: dnsPath},
	"DNS-04": {Rests: dnsPath},
	"DNS-05": {Rests: dnsPath},
	"DNS-06": {Rests: dnsPath},
	"DNS-07": {Rests: dnsPath},
	"DNS-08": {Rests: dnsPath},
	"DNS-09": {Rests: rests(dnsPath, serviceAnswer)},
	"DNS-10": {Rests: rests(dnsPath, m(APIValidation))},
	"DNS-11": {Rests: dnsPath},
	"DNS-12": {Rests: rests(dnsPath, m(DNSPodRecords)), NotApplicable: "CoreDNS with `pods disabled`, or a DNS add-on whose config the suite cannot read"},
	"DNS-13": {Rests: dnsPath},
	"DNS-14": {Rests: rests(dnsPath, serviceAnswer, m(PodNetworkCross))}, // servers and client on two given nodes
	"DNS-15": {Rests: rests(dnsPath, serviceAnswer, m(PodNetworkCross))}, // its one server on the first node, its Jobs on the last
	"DNS-16": {Rests: rests(dnsPath, m(EndpointSlices))},                 // the headless Service's records
	"DNS-17": {Rests: rests(dnsPath, serviceAnswer)},
	"DNS-18": {Rests: rests(dnsPath, serviceAnswer)},
	"DNS-19": {Rests: rests(dnsPath, m(EndpointSlices))}, // a headless Service's records following its pods
	"DNS-20": {Rests: rests(dnsPath, m(DNSPodRecords, EndpointSlices)), NotApplicable: "CoreDNS with `pods disabled`, or a DNS add-on whose config the suite cannot read"},

	"NP-01": {Rests: rests(m(NodePort, PodNetworkNode), serviceAnswer)}, // NodePort traffic is masqueraded to the node's address across nodes
	"NP-02": {Rests: m(APIValidation)},
	"NP-03": {Rests: rests(m(NodePort), serviceAnswer), NotApplicable: notOurs},
	"NP-04": {Rests: rests(servicePath, dnsPath)},

	"JOB-01": {Rests: rests(serviceAnswer, m(PodNetworkCross), dnsPath)}, // server and Job on two given nodes
	"JOB-02": {Rests: m(APIValidation)},
	"JOB-03": {Rests: m(APIValidation)},

	"EXT-01": {Rests: rests(dnsPath, m(EndpointSlices))},
	"EXT-02": {Rests: dnsPath},
	"EXT-03": {Rests: servicePath}, // every server echoes
	"EXT-04": {Rests: servicePath},
	"EXT-05": {Rests: rests(m(NodePort), serviceAnswer), NotApplicable: notOurs + "; fewer than 2 schedulable nodes"},
	"EXT-06": {Rests: rests(serviceAnswer, m(PodNetworkNode), dnsPath)}, // hairpin: a pod through its Service to itself, by IP and name
	"EXT-07": {Rests: dnsPath},
	"EXT-08": {Rests: rests(m(PodIPAM), servicePath), NotApplicable: "a single-stack cluster (from node pod CIDRs, ServiceCIDRs and pod IPs)"},
}

// FactsOf returns what claim id rests on.
func FactsOf(id string) (Facts, bool) {
	f, ok := facts[id]
	return f, ok
}

// ClaimTable is the README's table of each tested claim's mechanisms and
// the set-ups that make it not applicable, generated so it cannot go stale.
func ClaimTable() string {
	var b strings.Builder
	b.WriteString("| claim | rests on | not applicable on |\n|---|---|---|\n")
	ids := make([]string, 0, len(facts))
	for id := range facts {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return Less(ids[i], ids[j]) })
	for _, id := range ids {
		f := facts[id]
		names := make([]string, len(f.Rests))
		for i, r := range f.Rests {
			names[i] = string(r)
		}
		na := f.NotApplicable
		if na == "" {
			na = "—"
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", id, strings.Join(names, ", "), na)
	}
	return b.String()
}
