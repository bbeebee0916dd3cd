package session

import (
	"context"
	"errors"
	"strings"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/flow"
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
