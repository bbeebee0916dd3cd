package session

import (
	"context"
	"fmt"
	"time"

	"github.com/rfterm/rfterm/terminal/flow"
)

func (s *Session) handleMenu(in flow.Input) Result {
	if in.Kind == flow.InAction && in.Action == ActLogout {
		s.logout()
		return Result{}
	}
	choice := choice(in)
	switch choice {
	case "":
		return Result{}
	case KeyLogout:
		s.logout()
		return Result{}
	}
	for i := range s.works {
		if s.works[i].row.Key == choice {
			s.notice = ""
			s.open(&s.works[i])
			return Result{}
		}
	}
	return s.fail("NOT ON THE MENU", "Key a number shown on the menu.")
}

// menu is the main menu, in registry order: what this terminal offers this user.
func (s *Session) menu() []string {
	var lines []string
	for _, e := range s.works {
		lines = append(lines, e.menuLine())
	}
	return append(lines, KeyLogout+" Log out")
}

// menuKey is the menu key of a registry row, for messages that send the
// worker there ("Menu 7 lists it").
func (s *Session) menuKey(m Mode) string {
	for _, r := range s.rows {
		if r.Mode == m {
			return r.Key
		}
	}
	return ""
}

// awaitDelivery has the outbox delivered before new work is claimed: until
// the hub has this device's last steps it still holds a finished task as in
// progress, and would hand it out again. It returns how many events are still
// queued: 0 when all arrived, more when the hub stayed unreachable.
func (s *Session) awaitDelivery(ctx context.Context) int {
	s.sync.Kick()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	offlineSince := time.Time{}
	for {
		st := s.sync.Status()
		switch {
		case st.Queued == 0:
			return 0
		case st.Online:
			offlineSince = time.Time{}
		case offlineSince.IsZero():
			offlineSince = time.Now()
		case time.Since(offlineSince) > time.Second: // the retry just made failed too
			return st.Queued
		}
		select {
		case <-ctx.Done():
			return st.Queued
		case <-tick.C:
		}
	}
}

// notSentYet is the problem shown when new work waits for queued steps.
func (s *Session) notSentYet(n int) {
	s.fail("NOT SENT YET", fmt.Sprintf("%d step(s) have not reached the hub; the next task waits for them. Retry when online.", n))
}
