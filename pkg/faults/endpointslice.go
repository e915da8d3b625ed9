package faults

import (
	"context"
	"fmt"
	"strings"

	"github.com/netconform/netconform/pkg/claims"
	"github.com/netconform/netconform/pkg/kube"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const (
	kcmManifest = "/etc/kubernetes/manifests/kube-controller-manager.yaml"
	// The original also goes beside the manifests, not among them (the
	// kubelet would run it as a second static pod): a person can restore
	// it by hand after an interrupted self-test.
	kcmBackup           = "/etc/kubernetes/kube-controller-manager.yaml.netconform-selftest"
	kcmLease            = "kube-controller-manager"
	endpointSliceCtrl   = "endpointslice-controller"
	kcmContainer        = "kube-controller-manager"
	kcmStaticPodPrefix  = "kube-controller-manager-"
	kubeSystemNamespace = "kube-system"
)

// endpointSliceControllerStopped restarts kube-controller-manager (a static
// pod kind runs on each control-plane node) without its EndpointSlice
// controller: Services keep the slices they had, new pods never join them.
// In effect when the new process runs with the flag, its mirror pod is
// Ready, and it holds the leader lease (before that, no controller runs).
type endpointSliceControllerStopped struct {
	env      *Env
	original map[string]string // node -> manifest before; nil: not applied
	holder   string            // the leader before the last restart
}

func (f *endpointSliceControllerStopped) Name() string { return "endpointslice-controller-stopped" }
func (f *endpointSliceControllerStopped) Breaks() []claims.Mechanism {
	return []claims.Mechanism{claims.EndpointSlices}
}

func (f *endpointSliceControllerStopped) Apply(ctx context.Context) error {
	cps := f.env.ControlPlanes()
	if len(cps) == 0 {
		return fmt.Errorf("no control-plane node (label node-role.kubernetes.io/control-plane)")
	}
	var err error
	if f.holder, err = f.leader(ctx); err != nil {
		return err
	}
	for _, n := range cps {
		orig, err := f.env.Shell.Run(ctx, n.Name, nil, "cat", kcmManifest)
		if err != nil {
			return err
		}
		edited, err := WithControllerDisabled(orig, endpointSliceCtrl)
		if err != nil {
			return fmt.Errorf("node %s: %s: %w", n.Name, kcmManifest, err)
		}
		if _, err := f.env.Shell.Run(ctx, n.Name, []byte(orig), "sh", "-c", "cat > "+kcmBackup); err != nil {
			return err
		}
		if f.original == nil {
			f.original = map[string]string{}
		}
		f.original[n.Name] = orig
		if err := f.write(ctx, n.Name, edited); err != nil {
			return err
		}
		f.env.logf("node %s: %s now disables %s; the kubelet restarts kube-controller-manager", n.Name, kcmManifest, endpointSliceCtrl)
	}
	return nil
}

// write replaces the manifest in one rename, so the kubelet never reads
// half a file.
func (f *endpointSliceControllerStopped) write(ctx context.Context, node, manifest string) error {
	tmp := kcmBackup + ".new"
	_, err := f.env.Shell.Run(ctx, node, []byte(manifest), "sh", "-c", "cat > "+tmp+" && mv "+tmp+" "+kcmManifest)
	return err
}

func (f *endpointSliceControllerStopped) leader(ctx context.Context) (string, error) {
	l, err := f.env.Client.CoordinationV1().Leases(kubeSystemNamespace).Get(ctx, kcmLease, metav1.GetOptions{})
	if err != nil {
		return "", fmt.Errorf("lease %s/%s: %w", kubeSystemNamespace, kcmLease, err)
	}
	if l.Spec.HolderIdentity == nil {
		return "", nil
	}
	return *l.Spec.HolderIdentity, nil
}

// runs reports whether, on every control-plane node, exactly one
// kube-controller-manager process runs, with the --controllers value of
// the manifest given for that node, its mirror pod is Ready with the same
// flag, and the leader lease changed hands since f.holder.
func (f *endpointSliceControllerStopped) runs(ctx context.Context, manifests map[string]string) (bool, string, error) {
	all := true
	var seen []string
	for _, node := range sortedKeys(manifests) {
		want := manifestControllers(manifests[node])
		ps, err := f.env.Shell.Run(ctx, node, nil, "ps", "-eo", "args=")
		if err != nil {
			return false, "", err
		}
		procs := kcmProcesses(ps)
		var flags []string
		for _, p := range procs {
			flags = append(flags, fmt.Sprintf("%q", controllersFlag(p)))
		}
		pod, err := f.env.Client.CoreV1().Pods(kubeSystemNamespace).Get(ctx, kcmStaticPodPrefix+node, metav1.GetOptions{})
		if err != nil {
			return false, "", err
		}
		podFlag := ""
		for _, c := range pod.Spec.Containers {
			if c.Name == kcmContainer {
				podFlag = controllersFlag(append(clone(c.Command), c.Args...))
			}
		}
		ok := len(procs) == 1 && controllersFlag(procs[0]) == want && podFlag == want && kube.PodReady(pod)
		all = all && ok
		seen = append(seen, fmt.Sprintf("%s: processes with --controllers %s (want %q); mirror pod %s", node, strings.Join(flags, ", "), want, kube.DescribePod(pod)))
	}
	holder, err := f.leader(ctx)
	if err != nil {
		return false, "", err
	}
	moved := holder != "" && holder != f.holder
	seen = append(seen, fmt.Sprintf("leader %q (before the restart %q)", holder, f.holder))
	return all && moved, strings.Join(seen, "; "), nil
}

func (f *endpointSliceControllerStopped) edited() (map[string]string, error) {
	out := map[string]string{}
	for node, orig := range f.original {
		e, err := WithControllerDisabled(orig, endpointSliceCtrl)
		if err != nil {
			return nil, err
		}
		out[node] = e
	}
	return out, nil
}

func (f *endpointSliceControllerStopped) InEffect(ctx context.Context) (bool, string, error) {
	if f.original == nil {
		return false, "not applied", nil
	}
	edited, err := f.edited()
	if err != nil {
		return false, "", err
	}
	return f.runs(ctx, edited)
}

func (f *endpointSliceControllerStopped) Revert(ctx context.Context) error {
	if f.original == nil {
		return nil
	}
	var err error
	if f.holder, err = f.leader(ctx); err != nil {
		return err
	}
	for _, node := range sortedKeys(f.original) {
		if err := f.write(ctx, node, f.original[node]); err != nil {
			return err
		}
		if _, err := f.env.Shell.Run(ctx, node, nil, "rm", "-f", kcmBackup); err != nil {
			return err
		}
	}
	err = kube.WaitFor(ctx, "kube-controller-manager restarted as it was, and leading", Bound, func(ctx context.Context) (kube.Observation, error) {
		ok, seen, err := f.runs(ctx, f.original)
		return kube.Observation{Done: ok, Seen: seen}, err
	})
	if err != nil {
		return err
	}
	f.original = nil
	return nil
}
