package kindcluster

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

const capSysResource = 24

// Detect sets the host adaptations this machine needs, and only those.
func (s *Spec) Detect() {
	s.RestrictOOMScoreAdj = !boundingSetHas(capSysResource)
	s.AllowCgroupV1 = hostUsesCgroupV1()
}

func boundingSetHas(capability uint) bool {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return true
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "CapBnd:"); ok {
			mask, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
			return err != nil || mask&(1<<capability) != 0
		}
	}
	return true
}

// hostUsesCgroupV1: the unified hierarchy has cgroup.controllers at its root.
func hostUsesCgroupV1() bool {
	_, err := os.Stat("/sys/fs/cgroup/cgroup.controllers")
	return err != nil
}
