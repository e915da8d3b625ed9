// Command node-image builds (or reuses) a hermetic kind node image for a
// Kubernetes version and prints its reference on stdout.
//
//	go run ./ci/node-image -k8s-version 1.36.3
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/netconform/netconform/pkg/nodeimage"
)

func main() {
	var o nodeimage.Options
	flag.StringVar(&o.KubernetesVersion, "k8s-version", envOr("K8S_VERSION", nodeimage.DefaultK8sVersion), "Kubernetes version to build (env K8S_VERSION)")
	flag.StringVar(&o.FlannelBackend, "flannel-backend", envOr("FLANNEL_BACKEND", "host-gw"), "default CNI backend in the image: host-gw or vxlan")
	flag.StringVar(&o.CacheDir, "cache-dir", nodeimage.DefaultCacheDir(), "where sources and binaries are cached")
	refOnly := flag.Bool("print-ref", false, "print the image reference the inputs hash to, build nothing")
	flag.Parse()

	if *refOnly {
		ref, err := nodeimage.NodeImageRef(o)
		exitOn(err)
		fmt.Println(ref)
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ref, err := nodeimage.Build(ctx, o)
	exitOn(err)
	fmt.Println(ref)
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func exitOn(err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "node-image: %v\n", err)
		os.Exit(1)
	}
}
