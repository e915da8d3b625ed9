package kindcluster

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The reaper deletes the cluster when the `go test` process that owns it
// exits, however it exits (all packages done, Ctrl-C, timeout kill). Test
// binaries cannot do it: each package is its own process and none knows
// which is last. It is this same binary re-executed, in its own session so
// a terminal's Ctrl-C does not reach it.
const reaperEnv = "NETCONFORM_REAPER"

// unguardEnv carries Options.Unguard to the reaper, separated by the unit
// separator (an environment value cannot hold NUL).
const unguardEnv = "NETCONFORM_REAPER_UNGUARD"

func spawnReaper(o Options) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	logPath := filepath.Join(o.StateDir, o.Name+".reaper.log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logFile.Close()
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s:%d:%d:%s", reaperEnv, o.Name, o.Owner.PID, o.Owner.Start, o.StateDir))
	if len(o.Unguard) > 0 {
		cmd.Env = append(cmd.Env, unguardEnv+"="+strings.Join(o.Unguard, "\x1f"))
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start cluster reaper: %w", err)
	}
	logf(o.Log, "cluster %s: will be deleted when this run (pid %d) ends (reaper pid %d, log %s)", o.Name, o.Owner.PID, cmd.Process.Pid, logPath)
	return cmd.Process.Release()
}

// MaybeRunReaper turns this process into a reaper when it was started as
// one, and never returns in that case. Call it first thing in TestMain.
func MaybeRunReaper() {
	spec := os.Getenv(reaperEnv)
	if spec == "" {
		return
	}
	parts := strings.SplitN(spec, ":", 4)
	if len(parts) != 4 {
		fmt.Fprintf(os.Stderr, "reaper: malformed %s=%q\n", reaperEnv, spec)
		os.Exit(2)
	}
	pid, _ := strconv.Atoi(parts[1])
	start, _ := strconv.ParseUint(parts[2], 10, 64)
	name, stateDir := parts[0], parts[3]
	owner := Process{PID: pid, Start: start}
	for owner.Alive() {
		time.Sleep(500 * time.Millisecond) // polling a foreign PID: no event to wait on
	}
	os.Exit(reap(name, stateDir, owner))
}

// reap deletes the cluster unless another run has taken it over since.
func reap(name, stateDir string, owner Process) int {
	unlock, err := lock(stateDir, name)
	if err != nil {
		fmt.Fprintf(os.Stderr, "reaper: %v\n", err)
		return 1
	}
	defer unlock()
	st, err := readState(stateDir, name)
	if err != nil || st == nil || st.Owner != owner || st.Keep {
		fmt.Printf("%s reaper: cluster %s no longer ours to delete\n", time.Now().Format(time.RFC3339), name)
		return 0
	}
	start := time.Now()
	// The record is this run's own, written before its create: a cluster cut
	// short has no node ID yet, and is still this run's.
	if ok, why := Owned(st); !ok && st.NodeID != "" {
		fmt.Fprintf(os.Stderr, "reaper: %s\n", why)
		return 1
	}
	if err := remove(stateDir, name); err != nil {
		fmt.Fprintf(os.Stderr, "reaper: delete cluster %s: %v (remove it with: kind delete cluster --name %s)\n", name, err, name)
		return 1
	}
	fmt.Printf("%s reaper: deleted cluster %s in %s\n", time.Now().Format(time.RFC3339), name, time.Since(start).Round(time.Millisecond))
	if argv := strings.Split(os.Getenv(unguardEnv), "\x1f"); argv[0] != "" {
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "reaper: %s: %v (make clean removes the guard)\n", strings.Join(argv, " "), err)
			return 1
		}
	}
	return 0
}
