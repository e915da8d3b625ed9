// Package runshare lets the test processes of one run share something
// costly (the suite's probe pods): the first process to join makes it, the
// others reuse it, and the last to leave releases it. Membership is a state
// file per key, changed under a file lock; members that died are dropped,
// so a crashed run's leftovers are released by the next one.
package runshare

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/netconform/netconform/pkg/filelock"
	"github.com/netconform/netconform/pkg/kindcluster"
)

// Member is a process of the run.
type Member = kindcluster.Process

// Resource is how a shared thing is made, checked and released; its state
// travels between processes as JSON.
type Resource struct {
	// Create makes the thing (the lock is held meanwhile, so the other
	// processes wait for it instead of making their own).
	Create func() (json.RawMessage, error)
	// Usable tells whether a thing made earlier in this run still works.
	Usable func(json.RawMessage) bool
	// Release removes the thing.
	Release func(json.RawMessage)
	// alive reports whether a member still runs (tests replace it).
	alive func(Member) bool
}

type state struct {
	Members []Member        `json:"members"`
	Payload json.RawMessage `json:"payload"`
}

// Join adds self to key's members and returns the shared thing, making it
// when there is none that is usable.
func Join(dir, key string, self Member, r Resource) (json.RawMessage, error) {
	unlock, err := filelock.Lock(filepath.Join(dir, key+".lock"))
	if err != nil {
		return nil, err
	}
	defer unlock()
	st, err := read(dir, key)
	if err != nil {
		return nil, err
	}
	st.Members = r.live(st.Members)
	if st.Payload != nil && (len(st.Members) == 0 || !r.Usable(st.Payload)) {
		r.Release(st.Payload) // a crashed run's, or broken
		st = state{}
	}
	if st.Payload == nil {
		if st.Payload, err = r.Create(); err != nil {
			return nil, err
		}
	}
	if !slices.Contains(st.Members, self) {
		st.Members = append(st.Members, self)
	}
	return st.Payload, write(dir, key, st)
}

// Leave removes self from key's members; the last member releases the thing.
func Leave(dir, key string, self Member, r Resource) error {
	unlock, err := filelock.Lock(filepath.Join(dir, key+".lock"))
	if err != nil {
		return err
	}
	defer unlock()
	st, err := read(dir, key)
	if err != nil || st.Payload == nil {
		return err
	}
	st.Members = slices.DeleteFunc(r.live(st.Members), func(m Member) bool { return m == self })
	if len(st.Members) > 0 {
		return write(dir, key, st)
	}
	r.Release(st.Payload)
	return os.Remove(path(dir, key))
}

func (r Resource) live(ms []Member) []Member {
	alive := r.alive
	if alive == nil {
		alive = Member.Alive
	}
	return slices.DeleteFunc(slices.Clone(ms), func(m Member) bool { return !alive(m) })
}

func path(dir, key string) string { return filepath.Join(dir, key+".json") }

func read(dir, key string) (state, error) {
	var st state
	raw, err := os.ReadFile(path(dir, key))
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return state{}, nil // unreadable: start afresh
	}
	return st, nil
}

func write(dir, key string, st state) error {
	raw, err := json.Marshal(st)
	if err != nil {
		return err
	}
	tmp := path(dir, key) + ".tmp"
	if err := os.WriteFile(tmp, raw, 0o644); err != nil {
		return fmt.Errorf("runshare: %w", err)
	}
	return os.Rename(tmp, path(dir, key))
}
