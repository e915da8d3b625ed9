// Command cni-manifest prints the flannel manifest the suite applies for a
// flannel CNI choice: a starting point for a CNI manifest of your own
// (--cni path/to/manifest.yaml). It reads flannel's template from the node
// image, so the image must be built (`make node-image`).
//
//	go run ./ci/cni-manifest -cni flannel-vxlan -cluster-name netconform > my-cni.yaml
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"

	"github.com/netconform/netconform/pkg/kindcluster"
	"github.com/netconform/netconform/pkg/nodeimage"
)

func main() {
	cni := flag.String("cni", kindcluster.FlannelVXLAN, "flannel-host-gw or flannel-vxlan")
	family := flag.String("ip-family", kindcluster.IPv4, "ipv4 or dual")
	version := flag.String("k8s-version", nodeimage.DefaultK8sVersion, "Kubernetes version of the node image to read flannel's template from")
	name := flag.String("cluster-name", "netconform", "kind cluster the manifest is for: flanneld dials <name>-control-plane:6443")
	flag.Parse()
	d, err := kindcluster.ParseDataplane(*cni, "", *family)
	exitOn(err)
	ref, err := nodeimage.NodeImageRef(nodeimage.Options{KubernetesVersion: *version})
	exitOn(err)
	tmpl, err := exec.Command("docker", "run", "--rm", "--entrypoint", "cat", ref, kindcluster.FlannelTemplatePath).Output()
	if err != nil {
		exitOn(fmt.Errorf("read %s from %s (built? `make node-image K8S_VERSION=%s`): %w", kindcluster.FlannelTemplatePath, ref, *version, err))
	}
	manifest, err := kindcluster.RenderFlannel(string(tmpl), d, *name+"-control-plane:6443")
	exitOn(err)
	fmt.Print(manifest)
}

func exitOn(err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "cni-manifest: %v\n", err)
		os.Exit(1)
	}
}
