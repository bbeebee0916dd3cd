package session

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/zpl/label"
	"github.com/rfterm/rfterm/zpl/spool"
)

// InventoryHub is what cycle counts and returns ask the hub.
type InventoryHub interface {
	ClaimCount(ctx context.Context, userID string) (api.CountClaimResponse, error)
	Returns(ctx context.Context) (api.ReturnsResponse, error)
}

func countKey(userID string) string  { return "count/" + userID }
func returnKey(userID string) string { return "return/" + userID }

// startCount resumes the user's count, or claims the next count task.
func (s *Session) startCount() {
	if s.count != nil {
		s.mode = ModeCount
		return
	}
	userID := s.user.ID
	s.background("Getting a count task", func(ctx context.Context) func() {
		resp, err := s.cfg.Inventory.ClaimCount(ctx, userID)
		if err != nil {
			return func() {
				s.mode = ModeMenu
				s.hubFailed(err, "No count tasks waiting.", "Counting needs a task from the hub.")
			}
		}
		c, err := flow.NewCount(resp.Task, resp.Items, resp.Locations, userID)
		return func() {
			s.mode = ModeMenu
			if err != nil {
				s.fail("BAD TASK", err.Error())
				return
			}
			if _, err := s.store.Commit(countKey(userID), c, nil); err != nil {
				s.fail("NOT SAVED", err.Error())
				return
			}
			s.count, s.mode = c, ModeCount
		}
	})
}

func (s *Session) handleCount(in flow.Input) Result {
	if in.Kind == flow.InAction && in.Action == ActMenu && s.count.Problem == nil {
		s.mode = ModeMenu // saved after every scan: it resumes from the menu
		return Result{}
	}
	o := s.count.Handle(flow.Env{Rules: s.cfg.Rules}, in)
	key := countKey(s.user.ID)
	if o.Done {
		if r, ok := s.saveStep(key, nil, o, func() {}); !ok {
			return r
		}
		s.notice = "Count " + s.count.TaskID + " sent."
		s.count, s.mode = nil, ModeMenu
		return Result{}
	}
	r, _ := s.saveStep(key, s.count, o, reloadWork(s, key, &s.count))
	return r
}

// startReturn resumes receiving, or fetches the open RMAs to receive against.
func (s *Session) startReturn() {
	if s.ret != nil {
		s.mode = ModeReturn
		return
	}
	userID := s.user.ID
	s.background("Getting open returns", func(ctx context.Context) func() {
		resp, err := s.cfg.Inventory.Returns(ctx)
		if err != nil {
			return func() {
				s.mode = ModeMenu
				s.hubFailed(err, "No returns open.", "Returns need the open RMAs from the hub.")
			}
		}
		r, err := flow.NewReturn(resp.RMAs, resp.Items, resp.Locations, userID)
		return func() {
			s.mode = ModeMenu
			if err != nil {
				s.fail("NO RETURNS", err.Error())
				return
			}
			if _, err := s.store.Commit(returnKey(userID), r, nil); err != nil {
				s.fail("NOT SAVED", err.Error())
				return
			}
			s.ret, s.mode = r, ModeReturn
		}
	})
}

func (s *Session) handleReturn(in flow.Input) Result {
	if in.Kind == flow.InAction && in.Action == ActMenu && s.ret.Problem == nil {
		s.mode = ModeMenu
		return Result{}
	}
	o := s.ret.Handle(flow.Env{Rules: s.cfg.Rules}, in)
	key := returnKey(s.user.ID)
	if o.Done {
		if r, ok := s.saveStep(key, nil, o, func() {}); !ok {
			return r
		}
		s.notice = "Return received."
		s.ret, s.mode = nil, ModeMenu
		return Result{}
	}
	if r, ok := s.saveStep(key, s.ret, o, reloadWork(s, key, &s.ret)); !ok {
		return r
	}
	for _, l := range o.Labels { // once the receipt is on disk
		s.printRouteLabel(l)
	}
	return Result{}
}

// printRouteLabel labels a returned unit that is not restocked, so it goes
// where its disposition says.
func (s *Session) printRouteLabel(l flow.RouteLabel) {
	code := l.Serial
	if code == "" {
		code = l.SKU
	}
	if code == "" {
		code = l.Code
	}
	text := fmt.Sprintf("%s %s %s %s", strings.ToUpper(string(l.Disposition)), l.RMA, l.Condition, l.Description)
	name := fmt.Sprintf("%s label %s %s", l.Disposition, l.RMA, code)
	data, err := label.LPN{LPN: code, Text: text}.Build(s.dpi())
	if err != nil {
		s.fail("LABEL NOT MADE", name+": "+err.Error())
		return
	}
	if s.cfg.Printer == nil {
		s.fail("NO PRINTER", "Write on the unit: "+text)
		return
	}
	if _, err := s.cfg.Printer.Submit(spool.Request{Name: name, ZPL: data}); err != nil {
		s.fail("NOT QUEUED", name+": "+err.Error())
	}
}

// hubFailed explains a failed call for new work: nothing waiting, offline,
// or refused.
func (s *Session) hubFailed(err error, none, offlineWhy string) {
	var apiErr *api.Error
	switch {
	case errors.As(err, &apiErr) && (apiErr.Code == api.CodeNoTask || apiErr.Code == api.CodeNotFound):
		s.notice = none
	case unreachable(err):
		s.fail("OFFLINE", offlineWhy+" Retry when online.")
	default:
		s.fail("HUB REFUSED", describe(err))
	}
}
