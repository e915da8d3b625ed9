package kube

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/netconform/netconform/pkg/probe"
	utilexec "k8s.io/utils/exec"
)

// An agent (probe.AgentPort) answers probes through the API server's pod
// proxy: an HTTP request instead of an exec, which starts a process through
// kubelet, containerd and runc and costs about ten times the CPU and, on a
// busy 2-core machine, seconds of latency. The probe runs in the same pod,
// in its network namespace, with its environment and files, so what it
// observes is the same. Where no agent answers for the container (a
// hostNetwork pod whose node port another pod holds, a second container
// of the pod, a cluster that forbids pods/proxy or whose API server cannot
// reach pod IPs), probes go by exec, and the agent is tried again later.

const (
	// agentCheckBound is how long the first request to an agent (a no-op)
	// may take before that container's probes go by exec: the API server
	// may be unable to reach the pod, and a probe must not wait for its
	// dial timeout.
	agentCheckBound = 5 * time.Second
	// agentRetryAfter is how long a container's probes go by exec after its
	// agent did not answer.
	agentRetryAfter = 30 * time.Second
)

// agentStates is, per container, whether its agent answered its check, or
// until when its probes go by exec.
type agentStates struct {
	mu    sync.Mutex
	ok    map[string]bool
	until map[string]time.Time
}

var agents = &agentStates{ok: map[string]bool{}, until: map[string]time.Time{}}

func (a *agentStates) usable(key string, now time.Time) (checked, usable bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ok[key] {
		return true, true
	}
	return false, !now.Before(a.until[key])
}

func (a *agentStates) set(key string, ok bool, now time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.ok[key] = ok
	if !ok {
		a.until[key] = now.Add(agentRetryAfter)
	}
}

// viaAgent runs `probe ARGS` through the container's agent. ok is false
// when the agent did not take the request: the caller then execs.
func (c *Client) viaAgent(ctx context.Context, ns, pod, container string, args []string) (out string, err error, ok bool) {
	key := ns + "/" + pod + "/" + container
	checked, usable := agents.usable(key, time.Now())
	if !usable {
		return "", nil, false
	}
	if !checked {
		cctx, cancel := context.WithTimeout(ctx, agentCheckBound)
		_, err := c.agentCall(cctx, ns, pod, container, []string{"cat", "/dev/null"})
		cancel()
		if ctx.Err() != nil {
			return "", ctx.Err(), true
		}
		agents.set(key, err == nil, time.Now())
		if err != nil {
			return "", nil, false
		}
	}
	start := time.Now()
	r, err := c.agentCall(ctx, ns, pod, container, args)
	switch {
	case ctx.Err() != nil:
		return "", fmt.Errorf("probe %s in %s/%s by its agent: %w", strings.Join(args, " "), ns, pod, ctx.Err()), true
	case err != nil:
		agents.set(key, false, time.Now())
		return "", nil, false
	}
	RunLoad.agent(claimOf(ctx), time.Since(start))
	if r.Code != 0 {
		return r.Stdout, fmt.Errorf("probe %s in %s/%s: %w: %s", strings.Join(args, " "), ns, pod,
			utilexec.CodeExitError{Err: fmt.Errorf("exit code %d", r.Code), Code: r.Code}, strings.TrimSpace(r.Stderr)), true
	}
	return r.Stdout, nil, true
}

func (c *Client) agentCall(ctx context.Context, ns, pod, container string, args []string) (probe.AgentResult, error) {
	body, err := json.Marshal(probe.AgentRequest{Pod: pod, Container: container, Args: args})
	if err != nil {
		return probe.AgentResult{}, err
	}
	cs := c.probes
	if cs == nil {
		cs = c.Interface
	}
	raw, err := cs.CoreV1().RESTClient().Post().Namespace(ns).Resource("pods").
		Name(pod + ":" + strconv.Itoa(probe.AgentPort)).SubResource("proxy").Suffix("run").
		Body(body).Do(ctx).Raw()
	if err != nil {
		return probe.AgentResult{}, err
	}
	var r probe.AgentResult
	if err := json.Unmarshal(raw, &r); err != nil {
		return probe.AgentResult{}, fmt.Errorf("agent answer %q: %w", raw, err)
	}
	return r, nil
}
