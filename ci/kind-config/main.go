// Command kind-config prints the kind cluster config the suite uses for a
// node image built here (component image tags, host adaptations, the
// dataplane), so a cluster made by hand matches what the suite makes:
//
//	go run ./ci/kind-config > kind.yaml
//	kind create cluster --name mycluster --config kind.yaml --image "$(go run ./ci/node-image -print-ref)"
//
// Put the egress guard up first (`sudo ci/prepare-host.sh`), and put the
// nodes on the network it guards: KIND_EXPERIMENTAL_DOCKER_NETWORK=netconform.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/netconform/netconform/pkg/kindcluster"
	"github.com/netconform/netconform/pkg/nodeimage"
)

func main() {
	workers := flag.Int("workers", 2, "worker nodes beside the control plane")
	proxy := flag.String("proxy-mode", "iptables", "kube-proxy mode: iptables or nftables")
	family := flag.String("ip-family", kindcluster.IPv4, "ipv4 or dual")
	flag.Parse()
	d, err := kindcluster.ParseDataplane(kindcluster.FlannelHostGW, *proxy, *family)
	if err != nil {
		fmt.Fprintf(os.Stderr, "kind-config: %v\n", err)
		os.Exit(2)
	}
	spec := kindcluster.Spec{Workers: *workers, Dataplane: d, EtcdImageTag: nodeimage.EtcdImageTag, CoreDNSImageTag: nodeimage.CoreDNSImageTag}
	spec.Detect()
	fmt.Print(spec.Config())
}
