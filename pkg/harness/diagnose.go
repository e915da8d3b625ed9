package harness

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

var (
	artifactsRoot *string // set by New
	failureDir    = sync.OnceValue(func() string {
		return filepath.Join(*artifactsRoot, time.Now().Format("20060102-150405"))
	})
)

// DiagnoseFailure writes what a failed test's namespaces held, before they
// are deleted: `kubectl describe` of their pods (or the pod objects when
// there is no kubectl), their events, Services and EndpointSlices, the
// CoreDNS Corefile, and the kube-proxy rules that name the namespaces. It
// returns the directory, which it also prints.
func DiagnoseFailure(ctx context.Context, test string, namespaces ...string) string {
	s := Current()
	if s == nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	dir := filepath.Join(failureDir(), strings.NewReplacer("/", "_", " ", "_").Replace(test))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(os.Stderr, "[artifacts] %s: %v\n", test, err)
		return ""
	}
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "[artifacts] %s: %v\n", name, err)
		}
	}
	for _, ns := range namespaces {
		write(ns+"-describe-pods.txt", describePods(ctx, s.Client, ns))
		write(ns+"-events.txt", namespaceEvents(ctx, s.Client, ns))
		write(ns+"-services.yaml", servicesAndSlices(ctx, s.Client, ns))
	}
	write("coredns-corefile.txt", coreDNSConfig(ctx, s.Client))
	write("kube-proxy-rules.txt", proxyRules(ctx, s.Client, namespaces))
	fmt.Fprintf(os.Stderr, "[artifacts] %s failed: pods, events, services, CoreDNS config and kube-proxy rules in %s\n", test, dir)
	return dir
}

func describePods(ctx context.Context, c *kube.Client, ns string) string {
	if out, err := Kubectl(ctx, "describe", "pods", "-n", ns); err == nil {
		return out
	}
	pods, err := c.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return err.Error()
	}
	return asYAML(pods)
}

func namespaceEvents(ctx context.Context, c *kube.Client, ns string) string {
	events, err := eventLines(ctx, c, ns)
	if err != nil {
		return err.Error()
	}
	return events
}

// eventLines renders the events of ns ("": all namespaces), one a line:
// time namespace/Kind/name type reason: message.
func eventLines(ctx context.Context, c *kube.Client, ns string) (string, error) {
	events, err := c.CoreV1().Events(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, e := range events.Items {
		o := e.InvolvedObject
		fmt.Fprintf(&b, "%s %s/%s/%s %s %s: %s\n", e.LastTimestamp.Format(time.RFC3339), o.Namespace, o.Kind, o.Name, e.Type, e.Reason, e.Message)
	}
	return b.String(), nil
}

func servicesAndSlices(ctx context.Context, c *kube.Client, ns string) string {
	var docs []string
	if svcs, err := c.CoreV1().Services(ns).List(ctx, metav1.ListOptions{}); err == nil {
		docs = append(docs, asYAML(svcs))
	}
	if slices, err := c.DiscoveryV1().EndpointSlices(ns).List(ctx, metav1.ListOptions{}); err == nil {
		docs = append(docs, asYAML(slices))
	}
	return strings.Join(docs, "---\n")
}

func coreDNSConfig(ctx context.Context, c *kube.Client) string {
	cm, err := c.CoreV1().ConfigMaps("kube-system").Get(ctx, "coredns", metav1.GetOptions{})
	if err != nil {
		return err.Error()
	}
	return cm.Data["Corefile"]
}

// proxyRules dumps each kube-proxy's iptables and nftables rules (whichever
// its mode uses) and keeps the lines that name the namespaces: kube-proxy
// comments its rules with "namespace/service:port".
func proxyRules(ctx context.Context, c *kube.Client, namespaces []string) string {
	pods, err := c.CoreV1().Pods("kube-system").List(ctx, metav1.ListOptions{LabelSelector: "k8s-app=kube-proxy"})
	if err != nil {
		return err.Error()
	}
	if len(pods.Items) == 0 {
		return "no kube-proxy pods in kube-system: the dataplane replaces kube-proxy, no rules to show\n"
	}
	var b strings.Builder
	for _, p := range pods.Items {
		if p.Status.Phase != corev1.PodRunning {
			continue
		}
		for _, cmd := range [][]string{{"iptables-save"}, {"nft", "list", "ruleset"}} {
			out, err := c.Exec(ctx, "kube-system", p.Name, "kube-proxy", cmd...)
			fmt.Fprintf(&b, "### %s on node %s: %s\n", p.Name, p.Spec.NodeName, strings.Join(cmd, " "))
			if err != nil {
				fmt.Fprintf(&b, "(%v)\n", err)
				continue
			}
			b.WriteString(RuleExcerpt(out, namespaces))
		}
	}
	return b.String()
}

// RuleExcerpt keeps the lines of a rule dump that contain any needle, and
// says so when none does.
func RuleExcerpt(dump string, needles []string) string {
	var b strings.Builder
	for _, line := range strings.Split(dump, "\n") {
		for _, n := range needles {
			if n != "" && strings.Contains(line, n) {
				b.WriteString(line + "\n")
				break
			}
		}
	}
	if b.Len() == 0 {
		return fmt.Sprintf("(no rule names %s)\n", strings.Join(needles, ", "))
	}
	return b.String()
}

func asYAML(v any) string {
	out, err := yaml.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(out)
}
