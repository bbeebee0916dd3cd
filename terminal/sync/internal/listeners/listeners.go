// Package listeners keeps the listeners of one kind of news (the sender's
// status changes, the puller's notices) for many sessions in one process:
// any number may listen, each can stop listening at any time, and once it
// has stopped it is never called again.
package listeners

import (
	"slices"
	"sync"
)

// List is a set of listeners taking a T. The zero value is empty and ready;
// it is safe for concurrent use.
type List[T any] struct {
	mu      sync.Mutex
	entries []*entry[T] // replaced, never changed in place: Notify reads it unlocked
}

// entry is one listener.
type entry[T any] struct {
	mu      sync.Mutex // held while f runs, so removal can wait for it
	removed bool
	f       func(T)
}

// Add registers f and returns the function that removes it. Removing is
// idempotent; once it returns, f is not running and will never be called
// again. Do not call it from inside f, nor holding a lock f takes: it waits
// for a call of f under way to return.
func (l *List[T]) Add(f func(T)) (remove func()) {
	e := &entry[T]{f: f}
	l.mu.Lock()
	l.entries = append(slices.Clip(l.entries), e)
	l.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			e.mu.Lock()
			e.removed = true
			e.mu.Unlock()
			l.mu.Lock()
			l.entries = slices.DeleteFunc(slices.Clone(l.entries), func(x *entry[T]) bool { return x == e })
			l.mu.Unlock()
		})
	}
}

// Len is how many listeners are registered.
func (l *List[T]) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.entries)
}

// Notify calls every listener with v, in the order they were added, on the
// calling goroutine. Calls of one listener never overlap.
func (l *List[T]) Notify(v T) {
	l.mu.Lock()
	entries := l.entries
	l.mu.Unlock()
	for _, e := range entries {
		e.call(v)
	}
}

// call runs f unless the listener was removed.
func (e *entry[T]) call(v T) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.removed {
		e.f(v)
	}
}
