package kube

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/netconform/netconform/pkg/probe"
	"gotest.tools/v3/assert"
	"k8s.io/client-go/rest"
	utilexec "k8s.io/utils/exec"
)

// fakeAPIServer answers pod proxy requests to the agent port with answer,
// counting the probes it was asked for.
func fakeAPIServer(t *testing.T, answer func(req probe.AgentRequest) (int, probe.AgentResult)) (*Client, *int) {
	t.Helper()
	probes := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, r.URL.Path, "/api/v1/namespaces/ns/pods/client-0:9376/proxy/run")
		var req probe.AgentRequest
		assert.NilError(t, json.NewDecoder(r.Body).Decode(&req))
		if req.Args[0] != "cat" || req.Args[1] != "/dev/null" {
			probes++
		}
		code, res := answer(req)
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(res)
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(&rest.Config{Host: srv.URL})
	assert.NilError(t, err)
	return c, &probes
}

func TestProbesGoByAgentWithTheRolesExitCode(t *testing.T) {
	c, probes := fakeAPIServer(t, func(req probe.AgentRequest) (int, probe.AgentResult) {
		if req.Args[0] == "dns" {
			return http.StatusOK, probe.AgentResult{Code: 2, Stderr: "usage"}
		}
		return http.StatusOK, probe.AgentResult{Stdout: `{"ok":1}`}
	})
	out, err, ok := c.viaAgent(context.Background(), "ns", "client-0", "client", []string{"http", "--url", "http://x"})
	assert.Assert(t, ok)
	assert.NilError(t, err)
	assert.Equal(t, out, `{"ok":1}`)

	_, err, ok = c.viaAgent(context.Background(), "ns", "client-0", "client", []string{"dns"})
	assert.Assert(t, ok)
	var exit utilexec.ExitError
	assert.Assert(t, errors.As(err, &exit), "a role's failure is an exit status, as from an exec: %v", err)
	assert.Equal(t, exit.ExitStatus(), 2)
	assert.Equal(t, *probes, 2)
}

func TestAContainerWithoutAnAgentIsProbedByExec(t *testing.T) {
	for name, code := range map[string]int{"no agent listening": http.StatusServiceUnavailable, "another container's agent": http.StatusConflict, "pods/proxy forbidden": http.StatusForbidden} {
		t.Run(name, func(t *testing.T) {
			c, probes := fakeAPIServer(t, func(probe.AgentRequest) (int, probe.AgentResult) { return code, probe.AgentResult{} })
			for range 2 {
				_, err, ok := c.viaAgent(context.Background(), "ns", "client-0", "other-"+name, []string{"env"})
				assert.Assert(t, !ok)
				assert.NilError(t, err)
			}
			assert.Equal(t, *probes, 0, "after a failed check no probe is sent to the agent until agentRetryAfter")
		})
	}
}
