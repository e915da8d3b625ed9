package faults

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// WithControllerDisabled is a kube-controller-manager static pod manifest
// whose --controllers flag also disables controller ("-name"), adding the
// flag (`*,-name`) after the command's first line when there is none.
// Every other byte is kept, so the kubelet sees only that change.
func WithControllerDisabled(manifest, controller string) (string, error) {
	lines := strings.SplitAfter(manifest, "\n")
	for i, l := range lines {
		trimmed := strings.TrimSpace(l)
		v, ok := strings.CutPrefix(trimmed, "- --controllers=")
		if !ok {
			continue
		}
		for _, c := range strings.Split(v, ",") {
			if c == "-"+controller {
				return "", fmt.Errorf("--controllers=%s disables %s already", v, controller)
			}
		}
		indent := l[:strings.Index(l, "-")]
		lines[i] = indent + "- --controllers=" + v + ",-" + controller + lineEnd(l)
		return strings.Join(lines, ""), nil
	}
	for i, l := range lines {
		if strings.TrimSpace(l) == "- kube-controller-manager" {
			indent := l[:strings.Index(l, "-")]
			added := indent + "- --controllers=*,-" + controller + "\n"
			return strings.Join(slices.Insert(lines, i+1, added), ""), nil
		}
	}
	return "", fmt.Errorf("no `- kube-controller-manager` command line in the manifest")
}

func lineEnd(l string) string {
	if strings.HasSuffix(l, "\n") {
		return "\n"
	}
	return ""
}

// manifestControllers is the --controllers value a manifest gives, ""
// when it gives none.
func manifestControllers(manifest string) string {
	for _, l := range strings.Split(manifest, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "- --controllers="); ok {
			return v
		}
	}
	return ""
}

// controllersFlag is the --controllers value of a command line, "" when
// absent.
func controllersFlag(args []string) string {
	v, _ := flagValue(args, "controllers")
	return v
}

// kcmProcesses are the command lines of the kube-controller-manager
// processes in `ps -eo args=` output.
func kcmProcesses(ps string) [][]string {
	var out [][]string
	for _, line := range strings.Split(ps, "\n") {
		f := strings.Fields(line)
		if len(f) > 0 && path.Base(f[0]) == "kube-controller-manager" {
			out = append(out, f)
		}
	}
	return out
}
