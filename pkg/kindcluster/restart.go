package kindcluster

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
)

// startStopped starts the node containers of cluster name that are not
// running: a kept cluster after the host restarted (Docker's restart policy
// brings some back, not always all) or after `docker stop`. Only called on
// a cluster the suite's state says it made.
func startStopped(ctx context.Context, name string, log io.Writer) error {
	out, err := exec.CommandContext(ctx, "docker", "ps", "-a", "--filter", "label=io.x-k8s.kind.cluster="+name, "--format", "{{.Names}} {{.State}}").Output()
	if err != nil {
		return fmt.Errorf("list the node containers of cluster %s: %w", name, err)
	}
	stopped := stoppedNodes(string(out))
	if len(stopped) == 0 {
		return nil
	}
	logf(log, "cluster %s: starting its stopped node containers %s", name, strings.Join(stopped, ", "))
	if out, err := exec.CommandContext(ctx, "docker", append([]string{"start"}, stopped...)...).CombinedOutput(); err != nil {
		return fmt.Errorf("start the node containers of cluster %s: %w: %s", name, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// stoppedNodes picks, from `docker ps -a --format '{{.Names}} {{.State}}'`,
// the containers that are not running.
func stoppedNodes(ps string) []string {
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(ps), "\n") {
		name, state, ok := strings.Cut(strings.TrimSpace(line), " ")
		if ok && state != "running" {
			out = append(out, name)
		}
	}
	return out
}
