package runshare

import (
	"encoding/json"
	"testing"

	"gotest.tools/v3/assert"
)

// fake is a Resource whose members live while in `up`, counting calls.
type fake struct {
	up                map[int]bool
	created, released int
	usable            bool
}

func (f *fake) resource() Resource {
	return Resource{
		Create:  func() (json.RawMessage, error) { f.created++; return json.RawMessage(`{"ns":"w"}`), nil },
		Usable:  func(json.RawMessage) bool { return f.usable },
		Release: func(json.RawMessage) { f.released++ },
		alive:   func(m Member) bool { return f.up[m.PID] },
	}
}

func TestFirstMakesOthersReuseLastReleases(t *testing.T) {
	dir := t.TempDir()
	f := &fake{up: map[int]bool{1: true, 2: true}, usable: true}
	a, b := Member{PID: 1, Start: 10}, Member{PID: 2, Start: 20}
	p, err := Join(dir, "run", a, f.resource())
	assert.NilError(t, err)
	assert.Equal(t, string(p), `{"ns":"w"}`)
	_, err = Join(dir, "run", b, f.resource())
	assert.NilError(t, err)
	assert.Equal(t, f.created, 1)
	assert.NilError(t, Leave(dir, "run", a, f.resource()))
	assert.Equal(t, f.released, 0, "b still uses it")
	assert.NilError(t, Leave(dir, "run", b, f.resource()))
	assert.Equal(t, f.released, 1)
	assert.NilError(t, Leave(dir, "run", b, f.resource()), "leaving twice is harmless")
	assert.Equal(t, f.released, 1)
}

func TestACrashedRunsThingIsReleasedAndMadeAgain(t *testing.T) {
	dir := t.TempDir()
	f := &fake{up: map[int]bool{1: true}, usable: true}
	_, err := Join(dir, "run", Member{PID: 1, Start: 10}, f.resource())
	assert.NilError(t, err)
	f.up[1] = false // crashed without leaving
	f.up[3] = true
	_, err = Join(dir, "run", Member{PID: 3, Start: 30}, f.resource())
	assert.NilError(t, err)
	assert.Equal(t, f.released, 1)
	assert.Equal(t, f.created, 2)
}

func TestAnUnusableThingIsMadeAgain(t *testing.T) {
	dir := t.TempDir()
	f := &fake{up: map[int]bool{1: true, 2: true}, usable: false}
	_, err := Join(dir, "run", Member{PID: 1, Start: 10}, f.resource())
	assert.NilError(t, err)
	_, err = Join(dir, "run", Member{PID: 2, Start: 20}, f.resource())
	assert.NilError(t, err)
	assert.Equal(t, f.created, 2)
	assert.Equal(t, f.released, 1)
}
