package session

import (
	"context"

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
		if !unreachable(err) {
			return func() { s.mode = ModeLogin; s.fail("UNKNOWN BADGE", describe(err)) }
		}
		u, found, cerr := s.store.UserByBadge(badge)
		if cerr != nil || !found {
			return func() {
				s.mode = ModeLogin
				s.fail("OFFLINE", "Hub unreachable, and badge "+badge+" has not logged in on this device before.")
			}
		}
		return func() { s.loggedIn(u, true) }
	})
	return Result{}
}

// loggedIn starts the user's session: back into saved work, or the menu.
func (s *Session) loggedIn(u domain.User, offline bool) {
	s.user, s.offline, s.notice = &u, offline, ""
	s.mode = ModeMenu
	var p flow.Pick
	found, err := s.store.LoadWork(pickKey(u.ID), &p)
	if err != nil {
		s.fail("SAVED WORK UNREADABLE", err.Error())
		return
	}
	if found {
		s.pick, s.mode = &p, ModePick
		if n, noticed, err := s.store.TaskNotice(p.TaskID); err == nil && noticed {
			s.dropPick(takenAwayTitle(n.Kind == api.ChangeOrderCancelled), n.Advice()) // while this user was away
			if err := s.store.DismissNotice(p.TaskID); err != nil {
				s.cfg.Log.Error("dismiss notice", "err", err)
			}
		}
	}
	if s.cfg.Inventory != nil {
		var c flow.Count
		if found, err := s.store.LoadWork(countKey(u.ID), &c); err == nil && found {
			s.count = &c
			if s.mode == ModeMenu {
				s.mode = ModeCount // back in the count, at the scan it stopped
			}
		}
		var r flow.Return
		if found, err := s.store.LoadWork(returnKey(u.ID), &r); err == nil && found {
			s.ret = &r
		}
	}
	if s.cfg.Pack != nil {
		var pk flow.Pack
		if found, err := s.store.LoadWork(packKey(u.ID), &pk); err == nil && found {
			s.pack = &pk
			if s.mode == ModeMenu && pk.OrderID != "" {
				s.mode = ModePack // back at the station, mid-order
			}
		}
	}
	s.cfg.Log.Info("logged in", "user", u.ID, "offline", offline, "resumed", found)
}

func (s *Session) logout() {
	s.cfg.Log.Info("logged out", "user", s.user.ID)
	s.user, s.pick, s.pack, s.count, s.ret, s.offline, s.mode, s.notice = nil, nil, nil, nil, nil, false, ModeLogin, ""
}

func pickKey(userID string) string { return "pick/" + userID }
