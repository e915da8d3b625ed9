package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// capNames maps capability numbers to the names used in OCI specs.
var capNames = []string{
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
	"CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
	"CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
	"CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
	"CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
}

// boundingSet reads this process's capability bounding set by name.
func boundingSet() (map[string]bool, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "CapBnd:"); ok {
			mask, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
			if err != nil {
				return nil, fmt.Errorf("parse CapBnd %q: %w", v, err)
			}
			return capsInMask(mask), nil
		}
	}
	return nil, fmt.Errorf("no CapBnd in /proc/self/status")
}

func capsInMask(mask uint64) map[string]bool {
	caps := map[string]bool{}
	for i, name := range capNames {
		if mask&(1<<uint(i)) != 0 {
			caps[name] = true
		}
	}
	return caps
}

// subcommand returns runc's subcommand and the arguments after it; global
// options before it (--root X, --log X, --systemd-cgroup) are skipped.
func subcommand(args []string) (string, []string) {
	valued := map[string]bool{"--root": true, "--log": true, "--log-format": true, "--criu": true}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if valued[a] {
			i++
			continue
		}
		if !strings.HasPrefix(a, "-") {
			return a, args[i+1:]
		}
	}
	return "", nil
}

// optionValue finds --long X, --long=X, -s X or -s=X among opts.
func optionValue(opts []string, long, short string) string {
	for i, a := range opts {
		for _, name := range []string{"--" + long, "-" + short} {
			if a == name && i+1 < len(opts) {
				return opts[i+1]
			}
			if v, ok := strings.CutPrefix(a, name+"="); ok {
				return v
			}
		}
	}
	return ""
}

// filterFile drops unholdable capabilities from a config.json (whole spec,
// capabilities under .process) or a process.json (capabilities at the top).
func filterFile(path string, wholeSpec bool, bounding map[string]bool) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, changed, err := filterSpec(raw, wholeSpec, bounding)
	if err != nil || !changed {
		return err
	}
	return os.WriteFile(path, out, 0o600)
}

func filterSpec(raw []byte, wholeSpec bool, bounding map[string]bool) ([]byte, bool, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // keep large integers (rlimits, uids) exact
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, false, err
	}
	proc := doc
	if wholeSpec {
		p, ok := doc["process"].(map[string]any)
		if !ok {
			return raw, false, nil
		}
		proc = p
	}
	caps, ok := proc["capabilities"].(map[string]any)
	if !ok {
		return raw, false, nil
	}
	changed := false
	for set, v := range caps {
		list, ok := v.([]any)
		if !ok {
			continue
		}
		kept := make([]any, 0, len(list))
		for _, c := range list {
			if name, ok := c.(string); ok && !bounding[name] {
				changed = true
				continue
			}
			kept = append(kept, c)
		}
		caps[set] = kept
	}
	if !changed {
		return raw, false, nil
	}
	out, err := json.Marshal(doc)
	return out, true, err
}
