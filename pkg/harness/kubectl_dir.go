package harness

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// KubectlWithFiles is Kubectl run in a working directory that holds files
// (name -> content), so a command that names a file by a relative path
// (`kubectl create -f web-server.yaml`) runs as written. On a kind cluster
// without kubectl on PATH the directory is made inside the control-plane
// node, where that kubectl runs.
func KubectlWithFiles(ctx context.Context, files map[string][]byte, args ...string) (string, error) {
	s := Current()
	if s == nil {
		return "", fmt.Errorf("kubectl: the suite has no cluster yet")
	}
	dir, err := os.MkdirTemp("", "nc-kubectl-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	for name, content := range files {
		if filepath.Base(name) != name {
			return "", fmt.Errorf("kubectl: file %q must be a plain name", name)
		}
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			return "", err
		}
	}
	if path, err := exec.LookPath("kubectl"); err == nil && s.Kubeconfig != "" {
		flags := []string{"--kubeconfig", s.Kubeconfig}
		if s.Context != "" {
			flags = append(flags, "--context", s.Context)
		}
		cmd := exec.CommandContext(ctx, path, append(flags, args...)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if s.Kind {
		node := s.ClusterName + "-control-plane"
		remote := "/tmp/" + filepath.Base(dir)
		if out, err := exec.CommandContext(ctx, "docker", "cp", dir, node+":"+remote).CombinedOutput(); err != nil {
			return "", fmt.Errorf("copy files into %s: %v: %s", node, err, strings.TrimSpace(string(out)))
		}
		defer exec.Command("docker", "exec", node, "rm", "-rf", remote).Run()
		cmd := append([]string{"exec", "-w", remote, node, "kubectl", "--kubeconfig", "/etc/kubernetes/admin.conf"}, args...)
		out, err := exec.CommandContext(ctx, "docker", cmd...).CombinedOutput()
		return string(out), err
	}
	return "", fmt.Errorf("no kubectl on PATH")
}
