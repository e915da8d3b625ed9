package faults

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
)

// Host is where, in a Shell, a command runs on this machine rather than in
// a node.
const Host = ""

// Shell runs a command in a node's container (docker exec) or, for Host, on
// this machine, with stdin when given, and returns its stdout.
type Shell interface {
	Run(ctx context.Context, where string, stdin []byte, argv ...string) (string, error)
}

// Docker is the Shell of kind clusters: nodes are docker containers named
// as the Kubernetes nodes.
type Docker struct{}

// Run implements Shell.
func (Docker) Run(ctx context.Context, where string, stdin []byte, argv ...string) (string, error) {
	args := argv
	if where != Host {
		prefix := []string{"docker", "exec"}
		if stdin != nil {
			prefix = append(prefix, "-i")
		}
		args = append(append(prefix, where), argv...)
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("%s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// sh runs a shell script in a node.
func sh(ctx context.Context, s Shell, node, script string) (string, error) {
	return s.Run(ctx, node, nil, "sh", "-c", script)
}
