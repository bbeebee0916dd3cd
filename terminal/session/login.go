package session

import (
	"context"
	"errors"

	"github.com/rfterm/rfterm/api"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/flow"
)

// scanOf turns a scan or a typed line into a scan; ok is false for anything else.
func scanOf(in flow.Input) (barcode.Scan, bool) {
	switch {
	case in.Kind == flow.InScan:
		return in.Scan, true
	case in.Kind == flow.InText && in.Text != "":
		return barcode.Keyed(in.Text, in.At), true
	}
	return barcode.Scan{}, false
}

func (s *Session) handleLogin(in flow.Input) Result {
	sc, ok := scanOf(in)
	if !ok {
		return Result{}
	}
	c := s.cfg.Rules.Classify(sc)
	if c.Kind != barcode.KindBadge {
		return s.fail("NOT A BADGE", "Scanned "+c.Code+". Scan your badge.")
	}
	badge := c.Code
	s.background("Checking badge", func(ctx context.Context) func() {
		u, err := s.hub.Login(ctx, badge)
		if err == nil {
			if err := s.store.RememberUser(u); err != nil {
				s.cfg.Log.Error("remember user", "err", err)
			}
			return func() { s.loggedIn(u, false) }
		}
		s.cfg.Log.Info("login failed", "badge", badge, "err", err)
		if errors.Is(err, api.ErrNotEnrolled) {
			return s.notEnrolledFailure
		}
		if !unreachable(err) {
			return func() { s.fail("UNKNOWN BADGE", describe(err)) }
		}
		u, found, cerr := s.store.UserByBadge(badge)
		if cerr != nil || !found {
			return func() {
				s.fail("OFFLINE", "Hub unreachable, and badge "+badge+" has not logged in on this device before.")
			}
		}
		return func() { s.loggedIn(u, true) }
	})
	return Result{}
}

// loggedIn starts the user's session: it takes the user's work over from any
// other terminal, makes the registry's workflows for the user, and goes back
// into saved work where a row says so, or to the menu.
func (s *Session) loggedIn(u domain.User, offline bool) {
	if s.user != nil {
		return // a login raced this one
	}
	s.user, s.offline, s.notice, s.active = &u, offline, "", nil
	s.attnSeen = s.attentionCount(s.sync.Status()) // refusals from before show on the status line, not as news
	var problems []string
	resume := -1
	previous := s.cfg.Leases.take(u.ID, s, func() {
		s.works = s.works[:0]
		for i := range s.rows {
			row := &s.rows[i]
			if !row.offered(&s.cfg, u) {
				continue
			}
			e := entry{row: row, w: row.start(base{s: s, user: u, row: row})}
			s.works = append(s.works, e)
			sv, ok := e.w.(saved)
			if !ok {
				continue
			}
			inHand, err := sv.restore()
			if err != nil {
				problems = append(problems, row.Label+": "+err.Error())
				continue
			}
			if inHand && row.Resume == ResumeAtLogin && resume < 0 {
				resume = len(s.works) - 1
			}
		}
	})
	if resume >= 0 {
		s.active = &s.works[resume]
	}
	if previous != nil {
		go previous.takenOver(u.ID, s.cfg.Name)
	}
	if len(problems) > 0 {
		s.fail("SAVED WORK UNREADABLE", problems[0])
	}
	resumed := ""
	if s.active != nil {
		resumed = string(s.active.row.Mode)
	}
	s.cfg.Log.Info("logged in", "user", u.ID, "offline", offline, "resumed", resumed, "took_over", previous != nil)
}

// takenOver logs the session out because the same user logged in on another
// terminal, which now has the work (it was saved after every step).
func (s *Session) takenOver(userID, by string) {
	s.mu.Lock()
	if s.user == nil || s.user.ID != userID {
		s.mu.Unlock()
		return
	}
	s.logout()
	s.fail("LOGGED IN ELSEWHERE", "Your badge logged in on "+by+". Your work continues there; scan your badge to take it back here.")
	s.mu.Unlock()
	s.changed()
}

// logout ends the user's session here; the work stays saved.
func (s *Session) logout() {
	s.cfg.Log.Info("logged out", "user", s.user.ID)
	s.cfg.Leases.release(s.user.ID, s)
	s.user, s.works, s.active, s.offline, s.notice = nil, nil, nil, false, ""
	s.lead, s.pinFor = nil, nil // a lead session ends with the lead's
}

// Logout logs the user out from outside the session (a hosted session left
// idle past its limit), with a problem titled title saying why; the work
// stays saved and resumes at the next login. It does nothing when no one is
// logged in.
func (s *Session) Logout(title, why string) {
	s.mu.Lock()
	if s.user == nil || s.closed {
		s.mu.Unlock()
		return
	}
	s.logout()
	s.fail(title, why)
	s.mu.Unlock()
	s.changed()
}
