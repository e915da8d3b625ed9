package kube

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// RunLabel marks every namespace the suite creates with the run that made
// it: this host (a hash of its name) and the run's process (PID and start
// time), so that a later run on the same host can prove a leftover is from
// a run that is gone, and remove it, while it never touches a namespace of
// a live run or of another host's run.
const RunLabel = "netconform.io/run"

// Run identifies a run of the suite.
type Run struct {
	Host  string // hash of the host's name
	PID   int
	Start uint64 // the process's start time, clock ticks since boot
}

// ThisRun is the run of this process, set once the harness knows it; while
// it is zero, namespaces carry no run label.
var ThisRun Run

// ThisHost is the hash of this host's name, as a Run's Host.
func ThisHost() string {
	name, _ := os.Hostname()
	sum := sha256.Sum256([]byte(name))
	return hex.EncodeToString(sum[:4])
}

// String is the label value: <host>-<pid>-<start>.
func (r Run) String() string { return fmt.Sprintf("%s-%d-%d", r.Host, r.PID, r.Start) }

// ParseRun reads a label value written by String.
func ParseRun(v string) (Run, bool) {
	parts := strings.Split(v, "-")
	if len(parts) != 3 || parts[0] == "" {
		return Run{}, false
	}
	pid, err1 := strconv.Atoi(parts[1])
	start, err2 := strconv.ParseUint(parts[2], 10, 64)
	if err1 != nil || err2 != nil {
		return Run{}, false
	}
	return Run{Host: parts[0], PID: pid, Start: start}, true
}
