package harness

import (
	"context"
	"fmt"
	"os/exec"
)

// Kubectl runs kubectl against the suite's cluster: the kubectl on PATH, or,
// on a kind cluster the suite made, the one inside the control-plane node.
func Kubectl(ctx context.Context, args ...string) (string, error) {
	s := Current()
	if s == nil {
		return "", fmt.Errorf("kubectl: the suite has no cluster yet")
	}
	if path, err := exec.LookPath("kubectl"); err == nil && s.Kubeconfig != "" {
		flags := []string{"--kubeconfig", s.Kubeconfig}
		if s.Context != "" {
			flags = append(flags, "--context", s.Context)
		}
		out, err := exec.CommandContext(ctx, path, append(flags, args...)...).CombinedOutput()
		return string(out), err
	}
	if s.Kind {
		node := s.ClusterName + "-control-plane"
		out, err := exec.CommandContext(ctx, "docker", append([]string{"exec", node, "kubectl", "--kubeconfig", "/etc/kubernetes/admin.conf"}, args...)...).CombinedOutput()
		return string(out), err
	}
	return "", fmt.Errorf("no kubectl on PATH")
}
