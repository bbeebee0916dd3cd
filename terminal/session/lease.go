package session

import (
	"errors"
	"sync"
)

// ErrNotHeld is returned when a session saves work of a user whose work
// another session took over.
var ErrNotHeld = errors.New("this user's work was taken over by another terminal")

// Leases gives each user's work to one session at a time. Sessions of one
// process (a hosted edge server runs one per RF gun) share one Leases.
//
// The rule: the newest login with a badge takes the user's work over, and the
// session that held it is logged out with a message saying where the work
// went. A gun that died or was put down mid-task never locks the picker out,
// and two guns never drive the same pick: every save is checked against the
// lease under the same per-user lock that hands the lease over, and the new
// holder reads the saved work under that lock too.
type Leases struct {
	mu    sync.Mutex
	users map[string]*lease // by user id; one entry per user ever logged in
}

type lease struct {
	mu     sync.Mutex
	holder *Session
}

// NewLeases makes an empty lease table.
func NewLeases() *Leases { return &Leases{users: map[string]*lease{}} }

func (l *Leases) of(userID string) *lease {
	l.mu.Lock()
	defer l.mu.Unlock()
	ls := l.users[userID]
	if ls == nil {
		ls = &lease{}
		l.users[userID] = ls
	}
	return ls
}

// take gives the user's work to s and runs load (reading the saved work)
// before any other session can save for that user. It returns the session
// that held the work before, nil when none.
func (l *Leases) take(userID string, s *Session, load func()) (previous *Session) {
	ls := l.of(userID)
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.holder != s {
		previous = ls.holder
	}
	ls.holder = s
	load()
	return previous
}

// release gives the user's work back, if s holds it.
func (l *Leases) release(userID string, s *Session) {
	ls := l.of(userID)
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.holder == s {
		ls.holder = nil
	}
}

// do runs f (a save) while s holds the user's work, or returns ErrNotHeld.
func (l *Leases) do(userID string, s *Session, f func() error) error {
	ls := l.of(userID)
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.holder != s {
		return ErrNotHeld
	}
	return f()
}

// Holds reports whether s holds the user's work now.
func (l *Leases) Holds(userID string, s *Session) bool {
	ls := l.of(userID)
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return ls.holder == s
}
