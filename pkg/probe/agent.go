package probe

// AgentPort is where `probe agent`, the main process of idle client pods,
// listens for probes sent through the API server's pod proxy.
const AgentPort = 9376

// AgentRequest is one probe for an agent: the role's arguments, and the
// pod and container it is meant for (an agent that is not that container,
// e.g. a second container of the pod or another hostNetwork pod on the
// node, refuses it, so the suite runs it by exec where it belongs).
type AgentRequest struct {
	Pod       string   `json:"pod"`
	Container string   `json:"container"`
	Args      []string `json:"args"`
}

// AgentResult is what the role printed and its exit code, as an exec of
// `probe ARGS` in the container would have returned them.
type AgentResult struct {
	Code   int    `json:"code"`
	Stdout string `json:"stdout"`
	Stderr string `json:"stderr"`
}
