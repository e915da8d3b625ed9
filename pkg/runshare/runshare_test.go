package runshare

import (
	"sync"
	"testing"

	"gotest.tools/v3/assert"
)

func TestOnlyTheLastMemberReleases(t *testing.T) {
	var s Shared[*int]
	made := 0
	start := func() *int { made++; v := made; return &v }

	a := s.Join(start)
	b := s.Join(start) // a newcomer while a uses it: the same thing, nothing released
	assert.Equal(t, a, b)
	assert.Equal(t, made, 1)
	_, last := s.Leave()
	assert.Assert(t, !last, "a member is still using it")
	got, last := s.Leave()
	assert.Assert(t, last)
	assert.Equal(t, got, a)

	c := s.Join(start) // after the release, a new one
	assert.Equal(t, *c, 2)
}

func TestConcurrentMembersShareOneAndReleaseOnce(t *testing.T) {
	var s Shared[*int]
	var mu sync.Mutex
	made, released := 0, 0
	start := func() *int { mu.Lock(); defer mu.Unlock(); made++; return new(int) }
	var wg sync.WaitGroup
	first := s.Join(start) // holds it throughout, like a long area
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.Equal(t, s.Join(start), first)
			if _, last := s.Leave(); last {
				mu.Lock()
				released++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, made, 1)
	assert.Equal(t, released, 0, "released while a member was still in")
	_, last := s.Leave()
	assert.Assert(t, last)
}
