//go:build e2e

package job

// docCommand is one kubectl command of the documents, as the page writes
// it, and what it does on a conformant cluster (the expected outcome as
// data, separate from the run that observes it).
type docCommand struct {
	doc   string // seed document, by number
	line  int    // its line in the seed
	text  string // as written (a shell prompt "$ " left out)
	files map[string]string
	// files the command names, by the page's name -> the fixture under
	// fixtures/documents that holds the manifest the page calls so.
	creates bool   // it would create: run with --dry-run=server
	works   bool   // what it does as written
	cause   string // fails: a part of kubectl's answer that names the cause
	why     string // fails: why, for the report
}

// authorsPod: the pods a Job makes are named by Kubernetes (the Job's
// name and a random suffix), so a name from the author's cluster names no
// pod on any other, even after the document's own steps.
const authorsPod = "the pod names are the ones the author's cluster generated for the Jobs (random suffixes): no other cluster has them"

var documentCommands = []docCommand{
	{doc: "000", line: 44, text: "kubectl create -f web-server.yaml", files: map[string]string{"web-server.yaml": "000-1-deployment.yaml"}, creates: true, works: true},
	{doc: "000", line: 49, text: "kubectl get deployments", works: true},
	{doc: "000", line: 60, text: "kubectl get pods -o wide", works: true},
	{doc: "000", line: 101, text: "kubectl create -f client-job.yaml", files: map[string]string{"client-job.yaml": "000-2-job.yaml"}, creates: true, works: true},
	{doc: "000", line: 106, text: "kubectl get jobs", works: true},
	{doc: "000", line: 117, text: "kubectl logs client-job-z6nql", cause: `"client-job-z6nql" not found`, why: authorsPod},
	{doc: "000", line: 156, text: "kubectl create -f web-app-service.yaml", files: map[string]string{"web-app-service.yaml": "000-3-service.yaml"}, creates: true, works: true},
	{doc: "000", line: 161, text: "kubectl get svc", works: true},
	{doc: "000", line: 223, text: "kubectl create client-job-env.yaml", files: map[string]string{"client-job-env.yaml": "000-4-job.yaml"}, creates: true,
		cause: "Unexpected args", why: "kubectl create takes a manifest after -f; without it the file name is an unexpected argument (the file is there)"},
	{doc: "000", line: 228, text: "kubectl logs client-job-s7446", cause: `"client-job-s7446" not found`, why: authorsPod},
	{doc: "000", line: 261, text: "kubectl logs client-job-mj5vr", cause: `"client-job-mj5vr" not found`, why: authorsPod},
	{doc: "001", line: 36, text: "kubectl expose deployment deployment-name --port=8081 --name=service-name --target-port=3000", creates: true, works: true},
	{doc: "001", line: 40, text: "kubectl get service", works: true},
}
