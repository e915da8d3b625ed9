//go:build e2e

package world

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/runshare"
)

// New joins the run's world in the background: the first area of a run
// makes it, the others reuse it, and the last to end deletes it
// (pkg/runshare); a world left by a run that was killed is deleted at the
// next run's start (its namespaces carry the dead run's label). t's
// cleanup leaves it, after writing diagnostics of its namespaces if t
// failed.
func New(t *testing.T) *World {
	t.Helper()
	w := shared.Join(startWorld)
	t.Cleanup(func() {
		<-w.ready
		if w.err == nil && t.Failed() {
			harness.DiagnoseFailure(context.Background(), t.Name()+"-world", w.NS, w.OtherNS)
		}
		if last, ok := shared.Leave(); ok && last.err == nil {
			release(last.C, last.Pods)
		}
	})
	return w
}

var shared runshare.Shared[*World]

// startWorld starts making the world; Wait waits for it.
func startWorld() *World {
	s := harness.Current()
	w := &World{C: s.Client, Image: s.ProbeImage, ready: make(chan struct{})}
	go func() {
		defer close(w.ready)
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		p, err := build(ctx, w.C, w.Image)
		if err != nil {
			release(w.C, p)
			w.err = err
			return
		}
		fmt.Fprintf(os.Stderr, "[world] made: namespaces %s, %s; %d servers, %d clients\n", p.NS, p.OtherNS, len(p.Servers), len(p.Clients)+1)
		if len(p.LeftOut) > 0 {
			fmt.Fprintf(os.Stderr, "[world] nodes the claims leave out: %s\n", strings.Join(p.LeftOut, ", "))
		}
		w.Pods = p
		m := p.RemoteMember
		w.Remote = kube.Prober{C: w.C, NS: w.OtherNS, Pod: m.Pod, Container: "client", IP: m.IP}
	}()
	return w
}

func release(c *kube.Client, p Pods) {
	for _, ns := range []string{p.NS, p.OtherNS} {
		if ns != "" {
			c.DeleteNamespace(context.Background(), ns)
		}
	}
}
