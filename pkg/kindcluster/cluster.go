package kindcluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"sigs.k8s.io/kind/pkg/cluster"
	"sigs.k8s.io/kind/pkg/cluster/nodes"
	"sigs.k8s.io/kind/pkg/cluster/nodeutils"
)

// Options describe the shared cluster of a run.
type Options struct {
	Name      string
	NodeImage string
	Spec      Spec
	Keep      bool      // leave the cluster when the run ends
	StateDir  string    // where State files and locks live
	Owner     Process   // the `go test` process; the cluster lives as long as it
	Log       io.Writer // progress lines
	// Prepare runs once, after create, while the lock is held (load images,
	// make DNS hermetic). Packages that reuse the cluster skip it.
	Prepare func(ctx context.Context, kubeconfig string) error
	// Adopt runs, with the lock held, when a cluster kept by an earlier
	// run becomes this run's (e.g. load a probe image newer than it has).
	Adopt func(ctx context.Context, kubeconfig string) error
	// Unguard, when set, is run by the reaper once it has deleted the
	// cluster: it takes the host's egress guard down if no cluster is left
	// on the suite's network (ci/prepare-host.sh unguard).
	Unguard []string
}

// Handle is an acquired cluster.
type Handle struct {
	Name       string
	Kubeconfig string
	Created    bool // by this call (false: reused)
}

func provider() *cluster.Provider {
	return cluster.NewProvider(cluster.ProviderWithDocker(), cluster.ProviderWithLogger(kindLogger{}))
}

// Acquire returns the run's cluster, creating it when no package of this
// run has. The lock serialises packages that start at the same time.
func Acquire(ctx context.Context, o Options) (*Handle, error) {
	unlock, err := lock(o.StateDir, o.Name)
	if err != nil {
		return nil, err
	}
	defer unlock()
	p := provider()
	names, err := p.List()
	if err != nil {
		return nil, fmt.Errorf("list kind clusters (is Docker running? `sudo ci/prepare-host.sh` starts it): %w", err)
	}
	exists := false
	for _, n := range names {
		exists = exists || n == o.Name
	}
	st, err := readState(o.StateDir, o.Name)
	if err != nil {
		return nil, err
	}
	ownerAlive := st != nil && st.Owner.Alive()
	dataplane := o.Spec.Dataplane.orDefault()
	notOwned := ""
	if st != nil && exists {
		_, notOwned = Owned(st)
	}
	d, why := decide(exists, st, o.Owner, want{image: o.NodeImage, dataplane: dataplane.String(), shape: o.Spec.Shape(), network: DockerNetwork}, ownerAlive, notOwned)
	kubeconfig := filepath.Join(o.StateDir, o.Name+".kubeconfig")
	switch d {
	case failed:
		return nil, fmt.Errorf("cluster %s: %s", o.Name, why)
	case conflict:
		if ownerAlive && st != nil && st.Owner != o.Owner {
			// Never advise deleting what a live run is using.
			return nil, fmt.Errorf("cluster name clash: kind cluster %q exists and %s.\nWait for that run to end, or run beside it on a cluster of another name: NETCONFORM_CLUSTER_NAME=%s-2",
				o.Name, why, o.Name)
		}
		return nil, fmt.Errorf("cluster name clash: kind cluster %q exists and %s.\nRemove it with `kind delete cluster --name %s` (or `make clean` if netconform made it), or pick another name: NETCONFORM_CLUSTER_NAME=%s-2",
			o.Name, why, o.Name, o.Name)
	case reuse:
		logf(o.Log, "cluster %s: reusing (%s)", o.Name, why)
		if st.Owner != o.Owner { // a kept cluster now belongs to this run
			if err := startStopped(ctx, o.Name, o.Log); err != nil {
				return nil, err
			}
			if o.Adopt != nil {
				if err := o.Adopt(ctx, st.Kubeconfig); err != nil {
					return nil, err
				}
			}
			st.Owner, st.Keep = o.Owner, o.Keep
			if err := writeState(o.StateDir, *st); err != nil {
				return nil, err
			}
			if !o.Keep {
				if err := spawnReaper(o); err != nil {
					return nil, err
				}
			}
		}
		return &Handle{Name: o.Name, Kubeconfig: st.Kubeconfig}, nil
	case replace:
		logf(o.Log, "cluster %s: deleting (%s)", o.Name, why)
		if err := p.Delete(o.Name, kubeconfig); err != nil {
			return nil, fmt.Errorf("delete stale cluster %s: %w", o.Name, err)
		}
	}
	// Record ownership and start the reaper before creating, so an interrupt
	// during create still leaves nothing behind.
	st = &State{Name: o.Name, Owner: o.Owner, Kubeconfig: kubeconfig, NodeImage: o.NodeImage, Dataplane: dataplane.String(), Shape: o.Spec.Shape(), Network: DockerNetwork, Keep: o.Keep, CreatedAt: time.Now()}
	if err := writeState(o.StateDir, *st); err != nil {
		return nil, err
	}
	if !o.Keep {
		if err := spawnReaper(o); err != nil {
			return nil, err
		}
	}
	if err := createAndPrepare(ctx, p, o, kubeconfig, dataplane); err != nil {
		// The run's other packages would try again, each as slowly: record
		// why, and the control plane made (if any), so that the next run
		// knows the cluster as the suite's and replaces it rather than
		// refusing it as someone else's.
		st.Error = err.Error()
		st.NodeID = controlPlaneID(o.Name)
		if werr := writeState(o.StateDir, *st); werr != nil {
			logf(o.Log, "cluster %s: record failure: %v", o.Name, werr)
		}
		return nil, err
	}
	st.Ready = true
	st.NodeID = controlPlaneID(o.Name)
	if err := writeState(o.StateDir, *st); err != nil {
		return nil, err
	}
	return &Handle{Name: o.Name, Kubeconfig: kubeconfig, Created: true}, nil
}

func createAndPrepare(ctx context.Context, p *cluster.Provider, o Options, kubeconfig string, d Dataplane) error {
	start := time.Now()
	logf(o.Log, "cluster %s: creating (%s, image %s, %s)", o.Name, o.Spec.Shape(), o.NodeImage, d)
	wait := 3 * time.Minute
	if !d.BakedIn() {
		wait = 0 // nodes stay NotReady until the suite installs the CNI
	}
	useSuiteNetwork()
	err := p.Create(o.Name,
		cluster.CreateWithRawConfig([]byte(o.Spec.Config())),
		cluster.CreateWithNodeImage(o.NodeImage),
		cluster.CreateWithKubeconfigPath(kubeconfig),
		cluster.CreateWithWaitForReady(wait),
		cluster.CreateWithDisplayUsage(false),
		cluster.CreateWithDisplaySalutation(false))
	if err != nil {
		return fmt.Errorf("create kind cluster %s: %w\n(the cluster is removed when this run ends; if it remains: kind delete cluster --name %s)", o.Name, err, o.Name)
	}
	logf(o.Log, "cluster %s: created in %s", o.Name, time.Since(start).Round(100*time.Millisecond))
	if o.Prepare != nil {
		return o.Prepare(ctx, kubeconfig)
	}
	return nil
}

// Delete removes the cluster and its state, once the record proves the
// cluster of that name is the one the suite made (Owned); else it refuses
// and says why.
func Delete(stateDir, name string) error {
	st, err := readState(stateDir, name)
	if err != nil {
		return err
	}
	if st == nil {
		return fmt.Errorf("netconform has no record of making kind cluster %s: left alone", name)
	}
	if ok, why := Owned(st); !ok {
		return fmt.Errorf("%s", why)
	}
	return remove(stateDir, name)
}

// remove deletes the cluster and its record, unchecked.
func remove(stateDir, name string) error {
	if err := provider().Delete(name, filepath.Join(stateDir, name+".kubeconfig")); err != nil {
		return err
	}
	os.Remove(statePath(stateDir, name))
	return nil
}

// ExportLogs writes kind's node logs (journal, containers, pods) to dir.
func ExportLogs(name, dir string) error {
	return provider().CollectLogs(name, dir)
}

// LoadImage copies a local Docker image into every node's containerd, as
// `kind load docker-image` does, all nodes at once (checking that a node
// already has it is a second's docker exec, on every run of a kept cluster).
func LoadImage(ctx context.Context, name, image string) error {
	nodes, err := provider().ListInternalNodes(name)
	if err != nil {
		return err
	}
	errs := make([]error, len(nodes))
	var wg sync.WaitGroup
	for i, n := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = loadInto(ctx, n, image)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func loadInto(ctx context.Context, n nodes.Node, image string) error {
	if _, err := nodeutils.ImageID(n, image); err == nil {
		return nil // already there: a kept cluster reused by a later run
	}
	save := exec.CommandContext(ctx, "docker", "save", image)
	out, err := save.StdoutPipe()
	if err != nil {
		return err
	}
	var stderr strings.Builder
	save.Stderr = &stderr
	if err := save.Start(); err != nil {
		return err
	}
	loadErr := nodeutils.LoadImageArchive(n, out)
	if err := save.Wait(); err != nil {
		return fmt.Errorf("docker save %s: %w: %s", image, err, stderr.String())
	}
	if loadErr != nil {
		return fmt.Errorf("load %s into node %s: %w", image, n.String(), loadErr)
	}
	return nil
}

func logf(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, "[cluster] "+format+"\n", args...)
	}
}
