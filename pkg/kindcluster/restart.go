package kindcluster

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"
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
	if err := waitContainerd(ctx, stopped, log); err != nil {
		return err
	}
	return waitAPIReady(ctx, name+"-control-plane", log)
}

// apiReadyBound is how long a restarted API server may take to pass
// /readyz. Until it does, it can answer *forbidden* to the cluster admin
// (its RBAC caches are not yet filled), which is no answer about the run.
const apiReadyBound = 3 * time.Minute

// waitAPIReady waits until the API server in node cp passes /readyz,
// asked from inside the node with its admin kubeconfig.
func waitAPIReady(ctx context.Context, cp string, log io.Writer) error {
	start := time.Now()
	var last string
	for {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		out, err := exec.CommandContext(cctx, "docker", "exec", cp, "kubectl", "--kubeconfig", "/etc/kubernetes/admin.conf", "get", "--raw", "/readyz").CombinedOutput()
		cancel()
		if err == nil {
			logf(log, "started node containers: the API server is ready (%s)", time.Since(start).Round(100*time.Millisecond))
			return nil
		}
		last = strings.TrimSpace(string(out))
		if time.Since(start) > apiReadyBound {
			return fmt.Errorf("node %s started, but its API server was not ready within %s; last: %s", cp, apiReadyBound, last)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// containerdBound is how long a started node's containerd may take to
// answer; images are loaded into it next, which hangs while it is down.
const containerdBound = 2 * time.Minute

// waitContainerd waits until containerd answers in every node of nodes.
func waitContainerd(ctx context.Context, nodes []string, log io.Writer) error {
	start := time.Now()
	for _, n := range nodes {
		for {
			cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			out, err := exec.CommandContext(cctx, "docker", "exec", n, "ctr", "version").CombinedOutput()
			cancel()
			if err == nil {
				break
			}
			if time.Since(start) > containerdBound {
				return fmt.Errorf("node %s started, but its containerd did not answer within %s: %s", n, containerdBound, strings.TrimSpace(string(out)))
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(500 * time.Millisecond):
			}
		}
	}
	logf(log, "started node containers: containerd answers in all %d (%s)", len(nodes), time.Since(start).Round(100*time.Millisecond))
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
