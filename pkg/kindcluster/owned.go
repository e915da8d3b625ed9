package kindcluster

import (
	"fmt"
	"os/exec"
	"strings"
)

// controlPlaneID is the container ID of kind cluster name's control-plane
// node, "" when there is none.
func controlPlaneID(name string) string {
	out, err := exec.Command("docker", "inspect", "-f", "{{.Id}}", name+"-control-plane").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// Owned says whether the kind cluster named in st is the very cluster the
// record was written for: its control-plane container is the one the suite
// created. A name alone proves nothing: a stale record beside a cluster the
// user made later under the same name must not get it deleted. When it is
// not, the reason says what to do.
func Owned(st *State) (bool, string) {
	return owned(st, controlPlaneID(st.Name))
}

func owned(st *State, liveID string) (bool, string) {
	switch {
	case liveID == "":
		return true, "" // nothing is there to mistake for ours
	case st.NodeID == "":
		return false, fmt.Sprintf("netconform's record of cluster %s names no node container (an older version's, or a create cut short), so the cluster of that name may not be the suite's; if it is, remove it with `kind delete cluster --name %s`", st.Name, st.Name)
	case st.NodeID != liveID:
		return false, fmt.Sprintf("kind cluster %s is not the one netconform made (its control-plane container is %.12s, the record's %.12s): it is left alone; if the record is stale, remove it (%s.json in the suite's cache, ~/.cache/netconform/clusters)", st.Name, liveID, st.NodeID, st.Name)
	}
	return true, ""
}
