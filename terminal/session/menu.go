package session

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/terminal/flow"
)

func (s *Session) handleMenu(in flow.Input) Result {
	if in.Kind == flow.InAction && in.Action == ActLogout {
		s.logout()
		return Result{}
	}
	if in.Kind != flow.InText && in.Kind != flow.InScan {
		return Result{}
	}
	choice := strings.TrimSpace(in.Text)
	if in.Kind == flow.InScan {
		choice = in.Scan.Data
	}
	switch choice {
	case "":
		return Result{}
	case "1":
		s.startPick()
		return Result{}
	case "2":
		if s.cfg.Printer != nil {
			s.mode, s.label, s.notice = ModeLabels, labelMenu, ""
			return Result{}
		}
	case "3":
		s.openAttention()
		return Result{}
	case "4":
		if s.cfg.Pack != nil {
			s.startPack()
			return Result{}
		}
	case "5":
		if s.cfg.Inventory != nil {
			s.startCount()
			return Result{}
		}
	case "6":
		if s.cfg.Inventory != nil {
			s.startReturn()
			return Result{}
		}
	case "7":
		if s.cfg.Lead != nil && s.isLead() {
			s.notice = ""
			s.openApprovals()
			return Result{}
		}
	case "8":
		if s.cfg.Lead != nil && s.isLead() {
			s.openKPIs()
			return Result{}
		}
	case "9":
		s.logout()
		return Result{}
	}
	return s.fail("NOT ON THE MENU", "Key a number shown on the menu.")
}

// startPick resumes the user's pick (saved after every step, loaded at
// login), or claims the next task from the hub.
func (s *Session) startPick() {
	if s.pick != nil {
		s.mode = ModePick
		return
	}
	userID := s.user.ID
	s.background("Getting next task", func(ctx context.Context) func() {
		if n := s.awaitDelivery(ctx); n > 0 {
			return func() {
				s.mode = ModeMenu
				s.fail("NOT SENT YET", fmt.Sprintf("%d step(s) have not reached the hub; the next task waits for them. Retry when online.", n))
			}
		}
		resp, err := s.hub.ClaimTask(ctx, userID)
		if err != nil {
			s.cfg.Log.Info("claim failed", "user", userID, "err", err)
			return func() {
				s.mode = ModeMenu
				var apiErr *api.Error
				switch {
				case errors.As(err, &apiErr) && apiErr.Code == api.CodeNoTask:
					s.notice = "No pick tasks waiting."
				case unreachable(err):
					s.fail("OFFLINE", "Cannot get a new task without the hub. Queued work is kept; retry when online.")
				default:
					s.fail("HUB REFUSED", describe(err))
				}
			}
		}
		p, err := flow.NewPick(resp.Task, resp.Items, resp.Locations, userID)
		return func() {
			s.mode = ModeMenu
			if err != nil {
				s.fail("BAD TASK", err.Error())
				return
			}
			if _, err := s.store.Commit(pickKey(userID), p, nil); err != nil {
				s.fail("NOT SAVED", err.Error())
				return
			}
			s.cfg.Log.Info("task claimed", "user", userID, "task", p.TaskID, "lines", len(p.Lines))
			s.pick, s.mode = p, ModePick
		}
	})
}

// awaitDelivery has the outbox delivered before a new task is claimed: until
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
