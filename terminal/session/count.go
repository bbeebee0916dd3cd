package session

import (
	"context"
	"errors"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/terminal/flow"
)

// InventoryHub is what cycle counts and returns ask the hub.
type InventoryHub interface {
	ClaimCount(ctx context.Context, userID string) (api.CountClaimResponse, error)
	Returns(ctx context.Context) (api.ReturnsResponse, error)
}

// ModeCount is the blind cycle count's mode.
const ModeCount Mode = "count"

// countWork is a blind cycle count: the count in hand is saved after every
// scan and resumes at login.
type countWork struct {
	base
	count *flow.Count
}

func newCountWork(b base) Workflow { return &countWork{base: b} }

func (w *countWork) restore() (bool, error) {
	var c flow.Count
	found, err := w.s.store.LoadWork(w.key(), &c)
	if err != nil || !found {
		return false, err
	}
	w.count = &c
	return true, nil
}

func (w *countWork) inHand() string {
	if w.count == nil {
		return ""
	}
	return w.count.TaskID
}

func (w *countWork) Prompt() flow.Prompt { return menuAction(w.count.Prompt()) }

// Open resumes the user's count, or claims the next count task.
func (w *countWork) Open() {
	if w.count != nil {
		w.s.show(w)
		return
	}
	s, userID := w.s, w.user.ID
	s.background("Getting a count task", func(ctx context.Context) func() {
		resp, err := s.cfg.Inventory.ClaimCount(ctx, userID)
		if err != nil {
			return func() { s.hubFailed(err, "No count tasks waiting.", "Counting needs a task from the hub.") }
		}
		c, err := flow.NewCount(resp.Task, resp.Items, resp.Locations, userID)
		return func() {
			if err != nil {
				s.fail("BAD TASK", err.Error())
				return
			}
			if err := s.commit(w.key(), c, nil); err != nil {
				s.fail("NOT SAVED", err.Error())
				return
			}
			w.count = c
			s.show(w)
		}
	})
}

func (w *countWork) Handle(in flow.Input) Result {
	s, key := w.s, w.key()
	o := w.count.Handle(flow.Env{Rules: s.cfg.Rules}, in)
	if o.Done {
		if r, ok := s.saveStep(key, nil, o, func() {}); !ok {
			return r
		}
		s.notice = "Count " + w.count.TaskID + " sent."
		w.count = nil
		s.toMenu()
		return Result{}
	}
	r, _ := s.saveStep(key, w.count, o, reloadWork(s, key, &w.count))
	return r
}

// hubFailed explains a failed call for new work: nothing waiting, offline,
// or refused.
func (s *Session) hubFailed(err error, none, offlineWhy string) {
	var apiErr *api.Error
	switch {
	case s.leadEnded(err) || s.notEnrolledErr(err):
	case errors.As(err, &apiErr) && (apiErr.Code == api.CodeNoTask || apiErr.Code == api.CodeNotFound):
		s.notice = none
	case unreachable(err):
		s.fail("OFFLINE", offlineWhy+" Retry when online.")
	default:
		s.fail("HUB REFUSED", describe(err))
	}
}
