package harness

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/nodeimage"
)

// Options of a run. Each is a flag of the test binary (after -args) and an
// environment variable, which is easier to pass through `go test ./...`.
type Options struct {
	K8sVersion  string // kind mode: Kubernetes version of the node image
	NodeImage   string // kind mode: use this node image, build nothing
	ClusterName string
	KeepCluster bool
	Artifacts   string // where logs go on failure
	Workers     int
	Dataplane   DataplaneFlags // kind mode: CNI, kube-proxy mode, IP family
	ImageRepo   string         // existing mode: registry/repository the probe image was pushed to
	MaxNodes    string         // how many nodes claims use at most (kube.MaxClaimNodes); validated by maxNodes
	envErrs     []error        // environment values that are not what they claim to be, reported by validate
}

func envString(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// envBool reads a boolean variable strictly, as ci/e2e.sh does: unset or
// empty is false, otherwise it must be one strconv.ParseBool knows (1, 0,
// true, false, ...); "yes" is an error rather than a silent false.
func envBool(name string) (bool, error) {
	v := os.Getenv(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s is %q: give 1 or 0 (true or false)", name, v)
	}
	return b, nil
}

// registerFlags adds the suite's flags to flag.CommandLine, which
// e2e-framework parses together with its own (--kubeconfig, --labels, ...).
func registerFlags(root string) *Options {
	o := &Options{}
	flag.StringVar(&o.K8sVersion, "k8s-version", envString("NETCONFORM_K8S_VERSION", nodeimage.DefaultK8sVersion), "Kubernetes version of the kind cluster (env NETCONFORM_K8S_VERSION)")
	flag.StringVar(&o.NodeImage, "node-image", os.Getenv("NETCONFORM_NODE_IMAGE"), "kind node image to use instead of building one (env NETCONFORM_NODE_IMAGE)")
	flag.StringVar(&o.ClusterName, "cluster-name", envString("NETCONFORM_CLUSTER_NAME", "netconform"), "name of the kind cluster (env NETCONFORM_CLUSTER_NAME)")
	keep, err := envBool("NETCONFORM_KEEP_CLUSTER")
	o.envErrs = append(o.envErrs, err)
	flag.BoolVar(&o.KeepCluster, "keep-cluster", keep, "leave the kind cluster running after the run; the next run reuses it (env NETCONFORM_KEEP_CLUSTER=1)")
	flag.StringVar(&o.Artifacts, "artifacts", envString("NETCONFORM_ARTIFACTS", filepath.Join(root, "_artifacts")), "directory for logs of failed runs (env NETCONFORM_ARTIFACTS)")
	flag.IntVar(&o.Workers, "workers", 2, "worker nodes of the kind cluster")
	registerDataplaneFlags(&o.Dataplane)
	flag.StringVar(&o.MaxNodes, "max-nodes", envString("NETCONFORM_MAX_NODES", strconv.Itoa(kube.DefaultMaxClaimNodes)), "claims use at most this many nodes, a sample the same in every claim (env NETCONFORM_MAX_NODES)")
	flag.StringVar(&o.ImageRepo, "image-repo", os.Getenv("NETCONFORM_IMAGE_REPO"), "existing cluster: pull the probe image from REPO/netconform-probe:<tag>, pushed there by you (env NETCONFORM_IMAGE_REPO)")
	return o
}

// validate checks every option before anything is made or changed, and
// returns the cap on claim nodes.
func (o *Options) validate() (int, error) {
	for _, err := range o.envErrs {
		if err != nil {
			return 0, err
		}
	}
	if err := absolutePath("-artifacts (NETCONFORM_ARTIFACTS)", o.Artifacts); err != nil {
		return 0, err
	}
	if err := absolutePath("NETCONFORM_RESULTS", os.Getenv("NETCONFORM_RESULTS")); err != nil {
		return 0, err
	}
	return o.maxNodes()
}

// absolutePath refuses a relative path: go test runs each package in its
// own directory, so one would scatter a run's files over the packages and
// leave the report without verdicts.
func absolutePath(what, p string) error {
	if p == "" || filepath.IsAbs(p) {
		return nil
	}
	return fmt.Errorf("%s is %q, a relative path: go test runs each package in its own directory; give an absolute one, such as $PWD/%s", what, p, p)
}

// maxNodes validates -max-nodes: a whole number of at least 1.
func (o *Options) maxNodes() (int, error) {
	n, err := strconv.Atoi(o.MaxNodes)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("-max-nodes (NETCONFORM_MAX_NODES) is %q: give a whole number of nodes, at least 1 (default %d)", o.MaxNodes, kube.DefaultMaxClaimNodes)
	}
	return n, nil
}

// testTimeout is go test's -timeout (0: none).
func testTimeout() time.Duration {
	f := flag.Lookup("test.timeout")
	if f == nil {
		return 0
	}
	d, _ := time.ParseDuration(f.Value.String())
	return d
}
