//go:build e2e

package world

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kindcluster"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/nodeimage"
	"github.com/netconform/netconform/pkg/runshare"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// New joins the run's world in the background: the first area of a run
// makes it, the others reuse it, and the last to end deletes it; a world
// left by a crashed run is replaced (pkg/runshare). All areas of one test
// binary share one membership, so the world stays while any of them runs.
// t's cleanup leaves it, after writing diagnostics of its namespaces if t
// failed.
func New(t *testing.T) *World {
	t.Helper()
	w := joinShared()
	t.Cleanup(func() {
		<-w.ready
		if w.err == nil && t.Failed() {
			harness.DiagnoseFailure(context.Background(), t.Name()+"-world", w.NS, w.OtherNS)
		}
		if err := leaveShared(w); err != nil {
			t.Logf("leaving the shared world: %v", err)
		}
	})
	return w
}

var (
	sharedMu    sync.Mutex
	sharedWorld *World
	sharedUsers int
)

func joinShared() *World {
	sharedMu.Lock()
	defer sharedMu.Unlock()
	sharedUsers++
	if sharedWorld != nil {
		return sharedWorld
	}
	s := harness.Current()
	w := &World{C: s.Client, Image: s.ProbeImage, ready: make(chan struct{})}
	sharedWorld = w
	dir, key := sharedKey(s)
	self, _ := kindcluster.ProcessOf(os.Getpid())
	go func() {
		defer close(w.ready)
		raw, err := runshare.Join(dir, key, self, w.resource())
		if err == nil {
			err = json.Unmarshal(raw, &w.Pods)
		}
		if err != nil {
			w.err = err
			return
		}
		m := w.RemoteMember
		w.Remote = kube.Prober{C: w.C, NS: w.OtherNS, Pod: m.Pod, Container: "client", IP: m.IP}
	}()
	return w
}

// leaveShared leaves the run's world when the last area of this process
// that uses it is done.
func leaveShared(w *World) error {
	sharedMu.Lock()
	defer sharedMu.Unlock()
	sharedUsers--
	if sharedUsers > 0 {
		return nil
	}
	sharedWorld = nil
	if w.err != nil {
		return nil
	}
	dir, key := sharedKey(harness.Current())
	self, _ := kindcluster.ProcessOf(os.Getpid())
	return runshare.Leave(dir, key, self, w.resource())
}

// sharedKey names the world of this run: the cluster and the go test
// process (the parent of every package's test binary).
func sharedKey(s *harness.Suite) (dir, key string) {
	run, _ := kindcluster.ProcessOf(os.Getppid())
	cluster := s.ClusterName
	if !s.Kind {
		sum := sha256.Sum256([]byte(s.Kubeconfig + "\x00" + s.Context))
		cluster = hex.EncodeToString(sum[:6])
	}
	return filepath.Join(nodeimage.DefaultCacheDir(), "worlds"), fmt.Sprintf("%s-%d-%d", cluster, run.PID, run.Start)
}

func (w *World) resource() runshare.Resource {
	return runshare.Resource{
		Create: func() (json.RawMessage, error) {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			p, err := build(ctx, w.C, w.Image)
			if err != nil {
				release(w.C, p)
				return nil, err
			}
			fmt.Fprintf(os.Stderr, "[world] made: namespaces %s, %s; %d servers, %d clients\n", p.NS, p.OtherNS, len(p.Servers), len(p.Clients)+1)
			return json.Marshal(p)
		},
		Usable: func(raw json.RawMessage) bool {
			var p Pods
			return json.Unmarshal(raw, &p) == nil && usable(w.C, p)
		},
		Release: func(raw json.RawMessage) {
			var p Pods
			if json.Unmarshal(raw, &p) == nil {
				release(w.C, p)
			}
		},
	}
}

// usable: every pod of the world is still there and ready.
func usable(c *kube.Client, p Pods) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	want := map[string][]string{p.OtherNS: {p.RemoteMember.Pod}}
	for _, m := range p.Servers {
		want[p.NS] = append(want[p.NS], m.Pod)
	}
	for _, m := range p.Clients {
		want[p.NS] = append(want[p.NS], m.Pod)
	}
	for ns, names := range want {
		for _, name := range names {
			pod, err := c.CoreV1().Pods(ns).Get(ctx, name, metav1.GetOptions{})
			if err != nil || pod.DeletionTimestamp != nil || !kube.PodReady(pod) {
				return false
			}
		}
	}
	return true
}

func release(c *kube.Client, p Pods) {
	for _, ns := range []string{p.NS, p.OtherNS} {
		if ns != "" {
			c.DeleteNamespace(context.Background(), ns)
		}
	}
}
