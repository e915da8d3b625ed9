//go:build e2e

package envvars

import (
	"context"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/verdict"
)

// startOrder is what ENV-05 and ENV-10 observe (each gives its own
// verdict): the WEB_APP_SERVICE_* variables of the pod that was already
// running when web-app-service was created.
type startOrder struct {
	earlyVars []string  // WEB_APP_SERVICE_* in the early pod
	started   time.Time // the early container's start
	created   time.Time // web-app-service's creation
	first     string    // FIRST_SERVICE_SERVICE_HOST in the early pod
	late      string    // WEB_APP_SERVICE_SERVICE_HOST in the late pod
}

// observeStartOrder reads both pods. The early pod's lack of variables
// counts only beside its positive controls, checked here: it has the
// variables of first-service (created before it started), so it does get
// variables; the container running now is the one that ran before the
// Service existed (a failed first start before it does not count), so its
// environment predates the Service; and the late pod has
// the Service's variables, so the kubelet knew the Service. A failed
// control fails t.
func observeStartOrder(ctx context.Context, t *testing.T, chk *verdict.Check, f *fixture) startOrder {
	t.Helper()
	early, err := f.env(ctx, f.early)
	if err != nil {
		verdict.Fatal(t, err)
	}
	late, err := f.env(ctx, f.late)
	if err != nil {
		verdict.Fatal(t, err)
	}
	at, restarts, err := started(ctx, f.early)
	if err != nil {
		verdict.Fatal(t, err)
	}
	o := startOrder{earlyVars: withPrefix(early, "WEB_APP_SERVICE_"), started: at, created: f.svc.CreationTimestamp.Time,
		first: early["FIRST_SERVICE_SERVICE_HOST"], late: late["WEB_APP_SERVICE_SERVICE_HOST"]}
	chk.Evidence("pod %s: container started %s, %d restarts; service %s created %s",
		f.early.Pod, at.UTC().Format(time.RFC3339), restarts, svcName, o.created.UTC().Format(time.RFC3339))
	chk.Evidence("pod %s (started before %s): FIRST_SERVICE_SERVICE_HOST=%q (%s, clusterIP %s); WEB_APP_SERVICE_* %v",
		f.early.Pod, svcName, o.first, firstName, f.first.Spec.ClusterIP, o.earlyVars)
	chk.Evidence("pod %s (started after %s): WEB_APP_SERVICE_SERVICE_HOST=%q (clusterIP %s)", f.late.Pod, svcName, o.late, f.svc.Spec.ClusterIP)
	if !at.Equal(f.earlyStarted) {
		verdict.Fatalf(t, "pod %s's container restarted after %s was created (running since %s, before since %s; %d restarts), so its environment was computed again: it is no longer a pod that was running when the Service was created",
			f.early.Pod, svcName, at.UTC().Format(time.RFC3339), f.earlyStarted.UTC().Format(time.RFC3339), restarts)
	}
	// Both times have one-second resolution: a start in the same second as
	// the creation is still before it (the pod was ready before the create).
	if at.After(o.created) {
		verdict.Fatalf(t, "test defect: pod %s started %s, after %s was created %s", f.early.Pod, at, svcName, o.created)
	}
	if o.first != f.first.Spec.ClusterIP {
		verdict.Fatalf(t, "positive control failed: pod %s lacks the variables of %s, created before it started (FIRST_SERVICE_SERVICE_HOST=%q), so its lack of %s's proves nothing", f.early.Pod, firstName, o.first, svcName)
	}
	if o.late != f.svc.Spec.ClusterIP {
		verdict.Fatalf(t, "positive control failed: pod %s, started after %s, has WEB_APP_SERVICE_SERVICE_HOST=%q, want %s", f.late.Pod, svcName, o.late, f.svc.Spec.ClusterIP)
	}
	return o
}
