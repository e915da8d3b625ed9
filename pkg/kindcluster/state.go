package kindcluster

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/netconform/netconform/pkg/filelock"
)

// State records who owns a cluster the suite created. It lets every test
// package of one `go test` run share the cluster, tells a stale cluster of a
// dead run from one a live run is using, and lets `make clean` find ours.
type State struct {
	Name       string    `json:"name"`
	Owner      Process   `json:"owner"` // the `go test` process the cluster lives for
	Kubeconfig string    `json:"kubeconfig"`
	NodeImage  string    `json:"nodeImage"`
	Dataplane  string    `json:"dataplane,omitempty"` // Dataplane.String(); empty in states of older versions: the default
	Shape      string    `json:"shape,omitempty"`     // Spec.Shape(); empty in states of older versions
	Network    string    `json:"network,omitempty"`   // the nodes' docker network; empty in states of older versions: kind's "kind"
	NodeID     string    `json:"nodeID,omitempty"`    // the control-plane container the suite created (Owned)
	Keep       bool      `json:"keep"`
	Ready      bool      `json:"ready"`           // created, images loaded, DNS hermetic
	Error      string    `json:"error,omitempty"` // why create or prepare failed: the run's other packages fail at once with it
	CreatedAt  time.Time `json:"createdAt"`
}

// Process identifies a process across PID reuse by its start time.
type Process struct {
	PID   int    `json:"pid"`
	Start uint64 `json:"start"` // clock ticks since boot, /proc/PID/stat field 22
}

// ProcessOf reads pid's identity; ok is false when it is not running.
func ProcessOf(pid int) (Process, bool) {
	raw, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return Process{PID: pid}, false
	}
	start, err := startTime(string(raw))
	if err != nil {
		return Process{PID: pid}, false
	}
	return Process{PID: pid, Start: start}, true
}

// startTime parses field 22 of /proc/PID/stat; the command name (field 2)
// may contain spaces and parentheses, so fields are counted after its ")".
func startTime(stat string) (uint64, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("malformed stat %q", stat)
	}
	fields := strings.Fields(stat[i+1:])
	if len(fields) < 20 {
		return 0, fmt.Errorf("malformed stat %q", stat)
	}
	return strconv.ParseUint(fields[19], 10, 64)
}

// Alive reports whether the very process p (not a PID reuse) still runs.
func (p Process) Alive() bool {
	now, ok := ProcessOf(p.PID)
	return ok && now.Start == p.Start
}

func statePath(dir, name string) string { return filepath.Join(dir, name+".json") }

// ReadState is the record of cluster name under dir, nil when there is none.
func ReadState(dir, name string) (*State, error) { return readState(dir, name) }

func readState(dir, name string) (*State, error) {
	raw, err := os.ReadFile(statePath(dir, name))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var s State
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("parse %s: %w", statePath(dir, name), err)
	}
	return &s, nil
}

func writeState(dir string, s State) error {
	raw, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp := statePath(dir, s.Name) + ".tmp"
	if err := os.WriteFile(tmp, raw, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, statePath(dir, s.Name))
}

// lock serialises Acquire and the reaper on one cluster name.
func lock(dir, name string) (func(), error) {
	return filelock.Lock(filepath.Join(dir, name+".lock"))
}

// decision is what Acquire does with an existing cluster of the same name.
type decision int

const (
	create   decision = iota // no such cluster: make one
	reuse                    // ours: this run's, or a kept one with the same image and dataplane
	replace                  // ours, from a run that is gone or made differently: delete and recreate
	conflict                 // someone else's: refuse with instructions
	failed                   // this run already failed to make it: fail the same way
)

// want is what a run asks of its cluster.
type want struct {
	image     string
	dataplane string
	shape     string
	network   string
}

// decide is the ownership rule, kept pure so it is unit-tested.
// notOwned is why the live cluster of that name is not the record's ("" when
// it is: Owned).
func decide(exists bool, st *State, me Process, w want, ownerAlive bool, notOwned string) (decision, string) {
	dataplane := ""
	if st != nil {
		dataplane = st.Dataplane
		if dataplane == "" {
			dataplane = DefaultDataplane.String()
		}
	}
	switch {
	case st != nil && st.Owner == me && st.Error != "":
		return failed, st.Error
	case !exists:
		return create, ""
	case st == nil:
		return conflict, "netconform has no record of creating it"
	case st.Owner == me && st.Ready && dataplane != w.dataplane:
		return failed, fmt.Sprintf("this run's test packages ask for different dataplanes (%s; %s)", dataplane, w.dataplane)
	case st.Owner == me && st.Ready:
		return reuse, "created earlier in this run"
	case st.Owner == me:
		return replace, "left half-made earlier in this run"
	case ownerAlive:
		return conflict, fmt.Sprintf("it is in use by another netconform run (pid %d)", st.Owner.PID)
	case notOwned != "":
		return conflict, notOwned
	case st.Keep && st.Ready && st.NodeImage != w.image:
		return replace, fmt.Sprintf("kept by an earlier run, but made from node image %s, not %s: recreating", st.NodeImage, w.image)
	case st.Keep && st.Ready && dataplane != w.dataplane:
		return replace, fmt.Sprintf("kept by an earlier run, but with dataplane %s, not %s: recreating", dataplane, w.dataplane)
	case st.Keep && st.Ready && st.Shape != w.shape:
		return replace, fmt.Sprintf("kept by an earlier run, but with nodes %q, not %q: recreating", st.Shape, w.shape)
	case st.Keep && st.Ready && st.Network != w.network:
		return replace, fmt.Sprintf("kept by an earlier run, but on docker network %q, not %q (the egress guard covers only the suite's own): recreating", st.Network, w.network)
	case st.Keep && st.Ready:
		return reuse, "kept by an earlier run (--keep-cluster)"
	default:
		return replace, fmt.Sprintf("stale, from an earlier run (pid %d) that is gone", st.Owner.PID)
	}
}
