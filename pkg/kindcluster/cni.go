package kindcluster

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"sigs.k8s.io/kind/pkg/cluster/nodes"
	"sigs.k8s.io/kind/pkg/cluster/nodeutils"
)

// scriptTimeout bounds a user's CNI install script.
const scriptTimeout = 10 * time.Minute

// InstallCNI installs d's CNI on a cluster created without one (see
// Dataplane.BakedIn): flannel rendered from the node image's template, the
// user's manifest (server-side apply with the kubectl inside the control
// plane: the host may have none), or the user's script. Readiness is the
// caller's to wait for.
func InstallCNI(ctx context.Context, name, kubeconfig string, d Dataplane, log io.Writer) error {
	cp, err := controlPlane(name)
	if err != nil {
		return err
	}
	endpoint := net.JoinHostPort(cp.String(), "6443") // as kind's own CNI patch does
	switch {
	case d.FlannelBackend() != "":
		var tmpl bytes.Buffer
		if err := cp.CommandContext(ctx, "cat", FlannelTemplatePath).SetStdout(&tmpl).Run(); err != nil {
			return fmt.Errorf("read %s from %s: %w", FlannelTemplatePath, cp, err)
		}
		manifest, err := RenderFlannel(tmpl.String(), d, endpoint)
		if err != nil {
			return err
		}
		logf(log, "cni: applying flannel (%s, %s)", d.FlannelBackend(), d.IPFamily)
		return applyManifest(ctx, cp, manifest)
	case d.Manifest():
		raw, err := os.ReadFile(d.CNI)
		if err != nil {
			return err
		}
		logf(log, "cni: applying %s (server-side apply)", d.CNI)
		return applyManifest(ctx, cp, string(raw))
	default:
		return runScript(ctx, name, kubeconfig, cp.String(), endpoint, d, log)
	}
}

func controlPlane(name string) (nodes.Node, error) {
	all, err := provider().ListNodes(name)
	if err != nil {
		return nil, err
	}
	cps, err := nodeutils.ControlPlaneNodes(all)
	if err != nil || len(cps) == 0 {
		return nil, fmt.Errorf("cluster %s has no control-plane node (%v)", name, err)
	}
	return cps[0], nil
}

func applyManifest(ctx context.Context, cp nodes.Node, manifest string) error {
	var out bytes.Buffer
	err := cp.CommandContext(ctx, "kubectl", "--kubeconfig=/etc/kubernetes/admin.conf",
		"apply", "--server-side", "--field-manager=netconform", "-f", "-").
		SetStdin(strings.NewReader(manifest)).SetStdout(&out).SetStderr(&out).Run()
	if err != nil {
		return fmt.Errorf("apply CNI manifest: %w\n%s", err, strings.TrimSpace(out.String()))
	}
	return nil
}

// runScript runs the user's CNI script against the cluster, its output
// prefixed so it reads as part of the run's log.
func runScript(ctx context.Context, name, kubeconfig, cp, endpoint string, d Dataplane, log io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, scriptTimeout)
	defer cancel()
	logf(log, "cni: running %s (KUBECONFIG=%s)", d.CNI, kubeconfig)
	cmd := exec.CommandContext(ctx, d.CNI)
	cmd.Dir = filepath.Dir(d.CNI) // files next to the script are found wherever the run started
	cmd.Env = append(os.Environ(),
		"KUBECONFIG="+kubeconfig,
		"NETCONFORM_CLUSTER_NAME="+name,
		"NETCONFORM_CONTROL_PLANE="+cp, // container name: `docker exec $NETCONFORM_CONTROL_PLANE kubectl ...`
		"NETCONFORM_CONTROL_PLANE_ENDPOINT="+endpoint,
		"NETCONFORM_IP_FAMILY="+d.IPFamily,
		"NETCONFORM_POD_SUBNET="+d.PodSubnets(),
		"NETCONFORM_SERVICE_SUBNET="+d.ServiceSubnets(),
	)
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	done := make(chan struct{})
	var tail []string // the last lines, for the error
	go func() {
		defer close(done)
		s := bufio.NewScanner(pr)
		for s.Scan() {
			logf(log, "cni script: %s", s.Text())
			tail = append(tail, s.Text())
			if len(tail) > 10 {
				tail = tail[1:]
			}
		}
	}()
	err := cmd.Run()
	pw.Close()
	<-done
	if ctx.Err() == context.DeadlineExceeded {
		return fmt.Errorf("CNI script %s did not finish within %s", d.CNI, scriptTimeout)
	}
	if err != nil {
		return fmt.Errorf("CNI script %s: %w; its last output:\n%s", d.CNI, err, strings.Join(tail, "\n"))
	}
	return nil
}
