package kube

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/remotecommand"
	"k8s.io/client-go/util/flowcontrol"
)

// Client bundles a clientset with the config exec needs.
type Client struct {
	kubernetes.Interface
	Config *rest.Config
	// probes carries the requests to client pods' agents, with a rate
	// limiter of its own: a probe must not queue behind the waits' polling.
	probes kubernetes.Interface
}

// NewClient makes a Client from a REST config.
func NewClient(cfg *rest.Config) (*Client, error) {
	cfg = rest.CopyConfig(cfg)
	cfg.QPS, cfg.Burst = 50, 100 // parallel tests poll; the default 5 QPS throttles them
	cfg.RateLimiter = newTimedLimiter(cfg)
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	pcfg := rest.CopyConfig(cfg)
	pcfg.RateLimiter = newTimedLimiter(cfg)
	probes, err := kubernetes.NewForConfig(pcfg)
	if err != nil {
		return nil, err
	}
	return &Client{Interface: cs, Config: cfg, probes: probes}, nil
}

// newTimedLimiter is a token bucket at cfg's QPS and burst whose waits
// count in RunLoad.
func newTimedLimiter(cfg *rest.Config) flowcontrol.RateLimiter {
	return timedLimiter{flowcontrol.NewTokenBucketRateLimiter(cfg.QPS, cfg.Burst), RunLoad}
}

// Exec runs cmd in a container and returns its stdout; stderr is in the error.
func (c *Client) Exec(ctx context.Context, ns, pod, container string, cmd ...string) (string, error) {
	req := c.CoreV1().RESTClient().Post().Resource("pods").Namespace(ns).Name(pod).SubResource("exec").
		VersionedParams(&corev1.PodExecOptions{Container: container, Command: cmd, Stdout: true, Stderr: true}, scheme.ParameterCodec)
	exec, err := remotecommand.NewSPDYExecutor(c.Config, "POST", req.URL())
	if err != nil {
		return "", err
	}
	var stdout, stderr bytes.Buffer
	start := time.Now()
	err = exec.StreamWithContext(ctx, remotecommand.StreamOptions{Stdout: &stdout, Stderr: &stderr})
	RunLoad.exec(claimOf(ctx), time.Since(start), err)
	if err != nil {
		return stdout.String(), fmt.Errorf("exec %s in %s/%s: %w: %s", strings.Join(cmd, " "), ns, pod, err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}
