// Package runshare shares one costly thing (the suite's probe pods) among
// the areas of a run, which all run in one test binary: the first to join
// makes it, the others get the same one, and only the last to leave
// releases it. Nothing else releases it: a member that finds it unhealthy
// says so and waits, it never takes it from the members still using it.
package runshare

import "sync"

// Shared is one shared thing and its users.
type Shared[T any] struct {
	mu    sync.Mutex
	users int
	cur   T
	has   bool
}

// Join counts a user and returns the thing, made by start when there is
// none (start must return at once; the thing gets ready on its own).
func (s *Shared[T]) Join(start func() T) T {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users++
	if !s.has {
		s.cur, s.has = start(), true
	}
	return s.cur
}

// Leave uncounts a user. The last one gets the thing back, with last
// true, to release it; a later Join makes a new one.
func (s *Shared[T]) Leave() (thing T, last bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users--
	if s.users > 0 || !s.has {
		return thing, false
	}
	thing, s.cur, s.has = s.cur, *new(T), false
	return thing, true
}
