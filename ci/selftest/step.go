package main

import (
	"context"
	"fmt"
	"time"

	"github.com/netconform/netconform/pkg/claims"
	"github.com/netconform/netconform/pkg/faults"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/selftest"
)

// revertBound is how long a revert gets, however the step ended: an
// interrupted self-test still puts the cluster back.
const revertBound = 10 * time.Minute

// faultStep applies one fault, observes it in effect, runs the catalogue,
// checks the fault held to the end, reverts it and waits for the cluster
// to converge. reverted is false when the cluster may still be broken.
func (s *selfTest) faultStep(ctx context.Context, f faults.Fault) (d selftest.Detection, reverted bool) {
	d = selftest.Detection{Fault: f.Name(), Breaks: f.Breaks()}
	start := time.Now()
	var note string
	defer func() {
		s.report.Steps = append(s.report.Steps, selftest.Step{Name: f.Name(), Seconds: time.Since(start).Seconds(), Note: note})
	}()
	defer func() {
		// Revert on every path, with a context of its own: an interrupt
		// must not leave the fault in place.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), revertBound)
		defer cancel()
		t := time.Now()
		if err := f.Revert(rctx); err != nil {
			d.Error = join(d.Error, "revert: "+err.Error())
			s.logf("%s: REVERT FAILED: %v", f.Name(), err)
			return
		}
		reverted = true
		if err := s.env.WaitConverged(rctx, s.convergeBound); err != nil {
			d.Error = join(d.Error, "after revert: "+err.Error())
		}
		note += fmt.Sprintf("; reverted and converged in %s", time.Since(t).Round(time.Second))
		s.logf("%s: reverted, cluster converged (%s)", f.Name(), time.Since(t).Round(time.Second))
	}()

	s.logf("%s: applying (breaks %v)", f.Name(), f.Breaks())
	if err := f.Apply(ctx); err != nil {
		d.Error = "apply: " + err.Error()
		s.logf("%s: could not apply: %v", f.Name(), err)
		return d, false
	}
	t := time.Now()
	var seen string
	err := kube.WaitFor(ctx, f.Name()+" in effect", faults.Bound, func(ctx context.Context) (kube.Observation, error) {
		ok, s, err := f.InEffect(ctx)
		seen = s
		return kube.Observation{Done: ok, Seen: s}, err
	})
	if err != nil {
		d.Error = "never in effect: " + err.Error()
		s.logf("%s: %s", f.Name(), d.Error)
		return d, false
	}
	note = fmt.Sprintf("in effect after %s", time.Since(t).Round(time.Second))
	s.logf("%s: in effect after %s: %s", f.Name(), time.Since(t).Round(time.Second), seen)

	t = time.Now()
	res, err := s.cat.run(ctx, f.Name())
	note += fmt.Sprintf("; catalogue %s", time.Since(t).Round(time.Second))
	if err != nil {
		d.Error = "catalogue: " + err.Error()
		return d, false
	}
	if ok, seen, err := f.InEffect(ctx); err != nil || !ok {
		d.Error = fmt.Sprintf("no longer in effect when the run ended (%v): %s", err, seen)
	}
	judged := selftest.Compare(f.Name(), f.Breaks(), s.healthy, res, claims.FactsOf)
	judged.Error = d.Error
	a, e := judged.Score()
	s.logf("%s: kill score %d/%d, %d missed, %d unrelated changes", f.Name(), a, e, len(judged.Missed), len(judged.Unrelated))
	return judged, false
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
