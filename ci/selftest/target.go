package main

import (
	"fmt"
	"path/filepath"

	"github.com/netconform/netconform/pkg/kindcluster"
	"github.com/netconform/netconform/pkg/nodeimage"
)

// optInFlag is the flag that lets the self-test break a cluster the suite
// did not make (a CI workflow's own kind cluster).
const optInFlag = "i-accept-breaking-this-cluster"

// mode is how the catalogue reaches the cluster the self-test breaks.
type mode int

const (
	suiteCluster    mode = iota // the suite's kept kind cluster: made or reused by the healthy run
	existingCluster             // a kind cluster the suite did not make, by kubeconfig (opted in)
)

// chooseTarget is the guard, kept pure: the self-test breaks and repairs
// the cluster it runs on, so it takes only one the suite made (or will
// make), or, with the opt-in flag, a kind cluster of someone else's.
func chooseTarget(name string, exists bool, st *kindcluster.State, ownerAlive, optIn bool) (mode, error) {
	switch {
	case st != nil && ownerAlive:
		return 0, fmt.Errorf("kind cluster %s is in use by another netconform run (pid %d): the self-test would break it under that run", name, st.Owner.PID)
	case st != nil, !exists:
		return suiteCluster, nil
	case optIn:
		return existingCluster, nil
	}
	return 0, fmt.Errorf("kind cluster %s exists, but netconform has no record of making it (%s).\n"+
		"The self-test breaks the cluster it runs on, one mechanism at a time, and repairs it. To use this one anyway, pass --%s; "+
		"to let the suite make its own, pick another name: NETCONFORM_CLUSTER_NAME=%s-selftest",
		name, filepath.Join(stateDir(), name+".json"), optInFlag, name)
}

// stateDir is where the harness records the clusters it made.
func stateDir() string { return filepath.Join(nodeimage.DefaultCacheDir(), "clusters") }

// readState reads the harness's record of cluster name; nil when none.
func readState(name string) (*kindcluster.State, error) {
	return kindcluster.ReadState(stateDir(), name)
}
