package kindcluster

import (
	"os"
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
	}{
		{"no cluster", false, nil, false, create},
		{"unknown cluster", true, nil, false, conflict},
		{"this run, ready", true, &State{Owner: me, Ready: true}, true, reuse},
		{"this run, half made", true, &State{Owner: me}, true, replace},
		{"live other run", true, &State{Owner: other, Ready: true}, true, conflict},
		{"kept, same image", true, &State{Owner: other, Keep: true, Ready: true, NodeImage: "img", Shape: "s", Network: "nw"}, false, reuse},
		{"kept on another docker network (kind's, by an older version)", true, &State{Owner: other, Keep: true, Ready: true, NodeImage: "img", Shape: "s"}, false, replace},
		{"kept, other shape", true, &State{Owner: other, Keep: true, Ready: true, NodeImage: "img", Shape: "t"}, false, replace},
		{"kept by a version that recorded no shape", true, &State{Owner: other, Keep: true, Ready: true, NodeImage: "img"}, false, replace},
		{"kept, other image", true, &State{Owner: other, Keep: true, Ready: true, NodeImage: "old"}, false, replace},
		{"kept, other dataplane", true, &State{Owner: other, Keep: true, Ready: true, NodeImage: "img", Dataplane: vxlan}, false, replace},
		{"kept, same explicit dataplane", true, &State{Owner: other, Keep: true, Ready: true, NodeImage: "img", Dataplane: DefaultDataplane.String(), Shape: "s", Network: "nw"}, false, reuse},
		{"this run, other dataplane", true, &State{Owner: me, Ready: true, Dataplane: vxlan}, true, failed},
		{"this run failed to create it", false, &State{Owner: me, Error: "create kind cluster: boom"}, true, failed},
		{"dead run", true, &State{Owner: other, Ready: true}, false, replace},
	}
	for _, c := range cases {
		got, why := decide(c.exists, c.st, me, want{image: "img", dataplane: DefaultDataplane.String(), shape: "s", network: "nw"}, c.ownerAlive)
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
