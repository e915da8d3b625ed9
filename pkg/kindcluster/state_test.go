package kindcluster

import (
	"os"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

func TestStartTimeSurvivesOddCommandNames(t *testing.T) {
	stat := "1234 (go test (x) y) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 12 0 98765 1000 10"
	st, err := startTime(stat)
	assert.NilError(t, err)
	assert.Equal(t, st, uint64(98765))
}

func TestProcessOfSelfIsAlive(t *testing.T) {
	me, ok := ProcessOf(os.Getpid())
	assert.Assert(t, ok)
	assert.Assert(t, me.Alive())
	assert.Assert(t, !(Process{PID: me.PID, Start: me.Start + 1}).Alive(), "a reused PID is not the same process")
}

func TestDecide(t *testing.T) {
	me := Process{PID: 10, Start: 5}
	other := Process{PID: 11, Start: 6}
	vxlan := Dataplane{CNI: FlannelVXLAN, ProxyMode: ProxyIPTables, IPFamily: IPv4}.String()
	cases := []struct {
		name       string
		exists     bool
		st         *State
		ownerAlive bool
		want       decision
		owned      string // why the live cluster is not the record's; "" when it is
	}{
		{"no cluster", false, nil, false, create, ""},
		{"unknown cluster", true, nil, false, conflict, ""},
		{"this run, ready", true, &State{Owner: me, Ready: true}, true, reuse, ""},
		{"this run, half made", true, &State{Owner: me}, true, replace, ""},
		{"live other run", true, &State{Owner: other, Ready: true}, true, conflict, ""},
		{"kept, same image", true, &State{Owner: other, Keep: true, Ready: true, NodeImage: "img", Shape: "s", Network: "nw"}, false, reuse, ""},
		{"kept on another docker network (kind's, by an older version)", true, &State{Owner: other, Keep: true, Ready: true, NodeImage: "img", Shape: "s"}, false, replace, ""},
		{"kept, other shape", true, &State{Owner: other, Keep: true, Ready: true, NodeImage: "img", Shape: "t"}, false, replace, ""},
		{"kept by a version that recorded no shape", true, &State{Owner: other, Keep: true, Ready: true, NodeImage: "img"}, false, replace, ""},
		{"kept, other image", true, &State{Owner: other, Keep: true, Ready: true, NodeImage: "old"}, false, replace, ""},
		{"kept, other dataplane", true, &State{Owner: other, Keep: true, Ready: true, NodeImage: "img", Dataplane: vxlan}, false, replace, ""},
		{"kept, same explicit dataplane", true, &State{Owner: other, Keep: true, Ready: true, NodeImage: "img", Dataplane: DefaultDataplane.String(), Shape: "s", Network: "nw"}, false, reuse, ""},
		{"this run, other dataplane", true, &State{Owner: me, Ready: true, Dataplane: vxlan}, true, failed, ""},
		{"this run failed to create it", false, &State{Owner: me, Error: "create kind cluster: boom"}, true, failed, ""},
		{"dead run", true, &State{Owner: other, Ready: true}, false, replace, ""},
		{"stale record beside a cluster the user made under that name", true, &State{Owner: other, Keep: true, Ready: true, NodeImage: "img", Shape: "s", Network: "nw", NodeID: "a"}, false, conflict, "not the one netconform made"},
		{"a dead run's record beside a cluster the user made", true, &State{Owner: other, Ready: true, NodeID: "a"}, false, conflict, "not the one netconform made"},
	}
	for _, c := range cases {
		got, why := decide(c.exists, c.st, me, want{image: "img", dataplane: DefaultDataplane.String(), shape: "s", network: "nw"}, c.ownerAlive, c.owned)
		assert.Equal(t, got, c.want, "%s (%s)", c.name, why)
	}
}

func TestStateRoundTripAndLock(t *testing.T) {
	dir := t.TempDir()
	unlock, err := lock(dir, "c")
	assert.NilError(t, err)
	defer unlock()
	st, err := readState(dir, "c")
	assert.NilError(t, err)
	assert.Assert(t, st == nil)
	assert.NilError(t, writeState(dir, State{Name: "c", Keep: true}))
	st, err = readState(dir, "c")
	assert.NilError(t, err)
	assert.Assert(t, st.Keep)
}

func TestOnlyTheRecordedControlPlaneIsOurs(t *testing.T) {
	st := &State{Name: "netconform", NodeID: "abc"}
	ok, _ := owned(st, "abc")
	assert.Assert(t, ok)
	ok, why := owned(st, "def")
	assert.Assert(t, !ok)
	assert.Assert(t, strings.Contains(why, "not the one netconform made"), why)
	ok, _ = owned(&State{Name: "netconform"}, "def")
	assert.Assert(t, !ok, "a record without a node ID proves nothing")
	ok, _ = owned(st, "")
	assert.Assert(t, ok, "no cluster of that name: nothing to mistake")
}
