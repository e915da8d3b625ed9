// Command clean removes what the suite made and may have left behind: kind
// clusters it recorded as its own, interrupted build containers and outside
// observers, and, with KUBECONFIG set, the
// namespaces the suite labelled in that cluster (netconform.io/suite=true)
// whose runs are gone (-all-namespaces: all of them; -context: another
// context of KUBECONFIG).
// It keeps the image and build caches.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/netconform/netconform/pkg/kindcluster"
	"github.com/netconform/netconform/pkg/nodeimage"
)

func main() {
	kubeContext := flag.String("context", os.Getenv("NETCONFORM_CONTEXT"), "with KUBECONFIG: the context whose suite namespaces are cleaned (default: its current one)")
	allNamespaces := flag.Bool("all-namespaces", false, "with KUBECONFIG: delete every suite namespace, live runs' and other hosts' too")
	flag.Parse()
	stateDir := filepath.Join(nodeimage.DefaultCacheDir(), "clusters")
	states, _ := filepath.Glob(filepath.Join(stateDir, "*.json"))
	failed := false
	for _, s := range states {
		name := strings.TrimSuffix(filepath.Base(s), ".json")
		if st, err := kindcluster.ReadState(stateDir, name); err == nil && st != nil && st.Owner.Alive() {
			fmt.Printf("kind cluster %s: in use by a live netconform run (pid %d), left alone\n", name, st.Owner.PID)
			continue
		}
		fmt.Printf("deleting kind cluster %s\n", name)
		if err := kindcluster.Delete(stateDir, name); err != nil {
			fmt.Fprintf(os.Stderr, "clean: delete cluster %s: %v\n", name, err)
			failed = true
		}
	}
	out, _ := exec.Command("docker", "ps", "-aq", "--filter", "name=^netconform-build-").Output()
	if ids := strings.Fields(string(out)); len(ids) > 0 {
		fmt.Printf("removing %d interrupted build container(s)\n", len(ids))
		if err := exec.Command("docker", append([]string{"rm", "-f"}, ids...)...).Run(); err != nil {
			fmt.Fprintf(os.Stderr, "clean: %v\n", err)
			failed = true
		}
	}
	if os.Geteuid() == 0 {
		// In this order: the host limits raised for the clusters, now gone;
		// the egress guard, its routes and the suite's docker network (kept
		// while any container is on that network); the Docker engine, if the
		// suite started it and nothing of anyone's runs on it.
		for _, step := range []struct{ cmd, what string }{
			{"restore", "restore host limits"},
			{"unguard", "remove the egress guard"},
			{"stop-docker", "stop the Docker engine"},
		} {
			cmd := exec.Command("bash", "ci/prepare-host.sh", step.cmd)
			cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
			if err := cmd.Run(); err != nil {
				fmt.Fprintf(os.Stderr, "clean: %s: %v\n", step.what, err)
				failed = true
			}
		}
	}
	if kc := os.Getenv("KUBECONFIG"); kc != "" {
		if err := deleteSuiteNamespaces(kc, *kubeContext, *allNamespaces); err != nil {
			fmt.Fprintf(os.Stderr, "clean: namespaces in %s: %v\n", kc, err)
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
	fmt.Println("clean: nothing of the suite's is left running (image cache kept)")
}
