package kube

import (
	"context"
	"fmt"
	"strconv"

	"github.com/netconform/netconform/pkg/probe"
)

// Prober runs the probe image's client roles inside a pod, so traffic
// starts where the claim says it does.
type Prober struct {
	C         *Client
	NS, Pod   string
	Container string
	IP        string // the pod's IP, for evidence lines
}

func (p Prober) run(ctx context.Context, args ...string) ([]byte, error) {
	out, err := p.C.Exec(ctx, p.NS, p.Pod, p.Container, append([]string{"/probe"}, args...)...)
	return []byte(out), err
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
