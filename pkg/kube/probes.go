package kube

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/netconform/netconform/pkg/probe"
	utilexec "k8s.io/utils/exec"
)

// Prober runs the probe image's client roles inside a pod, so traffic
// starts where the claim says it does: by the pod's agent where it has one
// (agent.go), else by exec.
type Prober struct {
	C         *Client
	NS, Pod   string
	Container string
	IP        string // the pod's IP, for evidence lines
}

// execAttempts bounds how often a probe command is run when the exec
// channel itself fails (no exit status, or no output from a command that
// always prints a result): that is the API server-kubelet stream on a loaded
// machine, not the network under test, so it gets no verdict of its own.
const execAttempts = 3

func (p Prober) run(ctx context.Context, args ...string) ([]byte, error) {
	if out, err, ok := p.C.viaAgent(ctx, p.NS, p.Pod, p.Container, args); ok {
		return []byte(out), err
	}
	cmd := append([]string{"/probe"}, args...)
	var out string
	var err error
	for range execAttempts {
		out, err = p.C.Exec(ctx, p.NS, p.Pod, p.Container, cmd...)
		if err == nil && strings.TrimSpace(out) == "" && args[0] != "cat" {
			err = fmt.Errorf("exec %s in %s/%s: the command printed nothing", strings.Join(cmd, " "), p.NS, p.Pod)
		}
		if !execChannelFailed(err) || ctx.Err() != nil {
			break
		}
	}
	return []byte(out), err
}

// execChannelFailed tells a failed exec channel (worth another attempt) from
// a command that ran: success, or an exit status of its own.
func execChannelFailed(err error) bool {
	var exit utilexec.ExitError
	return err != nil && !errors.As(err, &exit)
}

// HTTP makes tries GET requests to url, each on a new connection.
func (p Prober) HTTP(ctx context.Context, url string, tries int, extra ...string) (probe.HTTPResult, error) {
	out, err := p.run(ctx, append([]string{"http", "--url", url, "--tries", strconv.Itoa(tries), "--timeout", "2s"}, extra...)...)
	if err != nil {
		return probe.HTTPResult{}, err
	}
	return probe.ParseHTTPResult(out)
}

// Dial connects over tcp or udp tries times and reads the echo.
func (p Prober) Dial(ctx context.Context, proto, addr string, tries int) (probe.DialResult, error) {
	out, err := p.run(ctx, "dial", "--proto", proto, "--addr", addr, "--tries", strconv.Itoa(tries), "--timeout", "2s")
	if err != nil {
		return probe.DialResult{}, err
	}
	return probe.ParseDialResult(out)
}

// DNS resolves name with the pod's resolv.conf (search list applied).
func (p Prober) DNS(ctx context.Context, name, qtype string, extra ...string) (probe.DNSResult, error) {
	out, err := p.run(ctx, append([]string{"dns", "--name", name, "--type", qtype}, extra...)...)
	if err != nil {
		return probe.DNSResult{}, err
	}
	return probe.ParseDNSResult(out)
}

// Cat returns a file of the pod's filesystem (the image has no shell).
func (p Prober) Cat(ctx context.Context, path string) (string, error) {
	out, err := p.run(ctx, "cat", path)
	return string(out), err
}

// String names the prober in evidence lines: "ns/pod (ip)".
func (p Prober) String() string { return fmt.Sprintf("%s/%s (%s)", p.NS, p.Pod, p.IP) }
