package session

import (
	"context"
	"errors"
	"fmt"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
)

// ModePick is the pick workflow's mode.
const ModePick Mode = "pick"

// pickWork is directed picking of one task into one tote: the task in hand
// is saved after every step and resumes at login.
type pickWork struct {
	base
	pick    *flow.Pick // the task in hand; nil: none
	dropped string     // the task the hub took away last: its refusals are told already
}

func newPickWork(b base) Workflow { return &pickWork{base: b} }

func (w *pickWork) restore() (bool, error) {
	var p flow.Pick
	found, err := w.s.store.LoadWork(w.key(), &p)
	if err != nil || !found {
		return false, err
	}
	if p.Finished() {
		// Finished before the user left: its events are queued; start afresh
		// rather than resume into a done screen. (The lease's lock is held
		// here: the store is written directly.)
		_, err := w.s.store.Commit(w.key(), nil, nil)
		return false, err
	}
	w.pick = &p
	if n, noticed, err := w.s.store.TaskNotice(p.TaskID); err == nil && noticed {
		w.drop(p.TaskID, n.Kind == api.ChangeOrderCancelled, n.Advice(), w.s.commitHeld) // while this user was away
		if err := w.s.store.DismissNotice(p.TaskID); err != nil {
			w.s.cfg.Log.Error("dismiss notice", "err", err)
		}
	}
	return w.pick != nil, nil
}

func (w *pickWork) inHand() string {
	if w.pick == nil || w.pick.Finished() {
		return "" // done: the menu offers the next task, not the finished one
	}
	return w.pick.OrderID
}

func (w *pickWork) ref() (string, string, flow.Step) {
	if w.pick == nil {
		return "", "", ""
	}
	return w.pick.TaskID, w.pick.OrderID, w.pick.Step
}

func (w *pickWork) Prompt() flow.Prompt { return menuAction(w.pick.Prompt()) }

// Open resumes the pick in hand, or claims the next task from the hub.
func (w *pickWork) Open() {
	if w.pick != nil {
		w.s.show(w)
		return
	}
	s, userID := w.s, w.user.ID
	s.background("Getting next task", func(ctx context.Context) func() {
		if n := s.awaitDelivery(ctx); n > 0 {
			return func() { s.notSentYet(n) }
		}
		resp, err := s.hub.ClaimTask(ctx, userID)
		if err != nil {
			s.cfg.Log.Info("claim failed", "user", userID, "err", err)
			return func() {
				s.toMenu()
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
		if err == nil {
			p.KnowBusyTotes(resp.BusyTotes) // refused here too, offline
		}
		return func() {
			s.toMenu()
			if err != nil {
				s.fail("BAD TASK", err.Error())
				return
			}
			if err := s.commit(w.key(), p, nil); err != nil {
				s.fail("NOT SAVED", err.Error())
				return
			}
			s.cfg.Log.Info("task claimed", "user", userID, "task", p.TaskID, "lines", len(p.Lines))
			w.pick = p
			s.show(w)
		}
	})
}

func (w *pickWork) Handle(in flow.Input) Result {
	o := w.pick.Handle(flow.Env{Rules: w.s.cfg.Rules}, in)
	if o.Done {
		if r, ok := w.s.saveStep(w.key(), nil, o, func() {}); !ok {
			return r
		}
		w.s.pickedTote(w.pick.Tote)
		w.pick = nil
		w.s.toMenu()
		w.Open()
		return Result{}
	}
	r, _ := w.s.saveStep(w.key(), w.pick, o, reloadWork(w.s, w.key(), &w.pick))
	if w.pick.Finished() {
		w.s.pickedTote(w.pick.Tote) // picked here, to be packed: the pack station's demo hint
	}
	return r
}

// dropTask ends the pick in hand because the hub took it away (order
// cancelled, task reassigned), telling the picker what to do with the tote.
func (w *pickWork) dropTask(taskID string, cancelled bool, adv outbox.Advice) bool {
	return w.drop(taskID, cancelled, adv, w.s.commit)
}

// drop is dropTask, saving with save.
func (w *pickWork) drop(taskID string, cancelled bool, adv outbox.Advice, save func(string, any, []domain.Draft) error) bool {
	if taskID != "" && taskID == w.dropped {
		return true // the picker was told already (a notice ended this pick)
	}
	if w.pick == nil || w.pick.TaskID != taskID {
		return false
	}
	if err := save(w.key(), nil, nil); err != nil {
		w.s.cfg.Log.Error("drop pick", "err", err)
	}
	w.s.fail(takenAwayTitle(cancelled), fmt.Sprintf("%s. Tote %s: %s", adv.Reason, w.pick.Tote, adv.Action))
	w.dropped = w.pick.TaskID
	w.pick = nil
	if w.s.active != nil && w.s.active.w == Workflow(w) {
		w.s.toMenu()
	}
	return true
}

// takenAwayTitle is the short title of work the hub took away.
func takenAwayTitle(cancelled bool) string {
	if cancelled {
		return "ORDER CANCELLED"
	}
	return "TASK REASSIGNED"
}
