package session

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/zpl/spool"
)

// The bill of lading's summary label, printed at the dock terminal's
// printer once the hub has the load's close. The loads waiting for it are
// kept in the load work's saved state (flow.Load.Bills), saved with the
// close itself: a close made offline prints when the hub is back, after a
// restart or a new login too.

// DockDocs is where the dock terminal gets a closed load's papers
// (api.Client.LoadDocument).
type DockDocs interface {
	LoadDocument(ctx context.Context, loadID, kind, format string) ([]byte, error)
}

// printsBills reports whether the terminal prints the bill of lading at
// close: it has a printer and asks the hub for the papers.
func (s *Session) printsBills() bool {
	return s.cfg.Printer != nil && s.cfg.Dock != nil && s.cfg.Dock.Docs != nil
}

// loadWorkOf is the user's load work, if the user is offered it.
func (s *Session) loadWorkOf() (*loadWork, bool) {
	for _, e := range s.works {
		if w, ok := e.w.(*loadWork); ok {
			return w, true
		}
	}
	return nil, false
}

// printBills tries the bills of lading waiting when the outbox or the hub's
// reachability changed. Called with the lock held.
func (s *Session) printBills() {
	if s.user == nil || s.closed {
		return
	}
	if w, ok := s.loadWorkOf(); ok {
		w.printBills()
	}
}

// closePending reports whether this device's close of a load is still in
// the outbox: the hub has not had it yet.
func closePending(events DockEvents, loadID string) (bool, error) {
	pending, err := events.Pending(1<<20, 64<<20)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(pending, func(ev domain.Event) bool {
		if ev.Type != domain.EventLoadClosed {
			return false
		}
		var p domain.LoadClosed
		return json.Unmarshal(ev.Payload, &p) == nil && p.LoadID == loadID
	}), nil
}

// printBills fetches and prints the oldest bill of lading waiting, once
// the hub is reachable and has the load's close, then the next. Called
// with the lock held; the fetch runs in the background and one at a time.
func (w *loadWork) printBills() {
	s := w.s
	if w.ld == nil || len(w.ld.Bills) == 0 || w.printing {
		return
	}
	if !s.printsBills() {
		w.ld.Bills = nil // saved with the next step
		return
	}
	if !s.sync.Status().Online {
		return
	}
	id := w.ld.Bills[0]
	if s.cfg.Dock.Events != nil {
		if pending, err := closePending(s.cfg.Dock.Events, id); err != nil || pending {
			if err != nil {
				s.cfg.Log.Error("bill of lading: outbox", "load", id, "err", err)
			}
			return
		}
	}
	w.printing = true
	docs, user := s.cfg.Dock.Docs, s.user
	go func() {
		ctx, cancel := context.WithTimeout(s.ctx, s.cfg.Timeout)
		zplData, err := docs.LoadDocument(ctx, id, api.DocBillOfLading, "zpl")
		cancel()
		s.mu.Lock()
		w.printing = false
		if !s.closed && s.user == user {
			if w.billFetched(id, zplData, err) {
				w.printBills()
			}
		}
		s.mu.Unlock()
		s.changed()
	}()
}

// billFetched queues a load's bill of lading at the spool, or keeps it
// waiting while the hub is unreachable; one the hub will not make (its
// close was refused) is dropped with a note. It reports whether the bill
// left the list. Called with the lock held.
func (w *loadWork) billFetched(id string, zplData []byte, err error) bool {
	s := w.s
	switch {
	case err != nil && unreachable(err):
		s.cfg.Log.Info("bill of lading not fetched", "load", id, "err", err)
		return false
	case err != nil:
		var apiErr *api.Error
		if errors.As(err, &apiErr) && apiErr.Code == api.CodeNotClosed {
			w.billNote = id + " not closed"
		} else {
			w.billNote = id + " refused"
		}
		s.cfg.Log.Warn("bill of lading refused", "load", id, "err", err)
	default:
		job, err := s.cfg.Printer.Submit(spool.Request{Name: "bill of lading " + id, ZPL: zplData})
		if err != nil {
			s.fail("NOT QUEUED", fmt.Sprintf("Bill of lading of %s: %v", id, err))
			return false
		}
		s.cfg.Log.Info("bill of lading queued", "load", id, "job", job)
		w.billNote, w.billJob = id, job
	}
	w.ld.Bills = slices.DeleteFunc(w.ld.Bills, func(b string) bool { return b == id })
	if err := s.commit(w.key(), w.ld, nil); err != nil {
		s.cfg.Log.Error("save load work", "err", err)
	}
	return true
}

// billField is what the load's screen says of the bills of lading: the
// loads waiting for theirs and why, or what became of the last.
func (w *loadWork) billField() (flow.Field, bool) {
	s := w.s
	switch {
	case len(w.ld.Bills) > 0 && !s.sync.Status().Online:
		return flow.Field{Label: "BOL", Value: "prints when online"}, true
	case len(w.ld.Bills) > 0:
		return flow.Field{Label: "BOL", Value: "waits for hub"}, true
	case w.billJob != 0:
		return flow.Field{Label: "BOL", Value: w.billNote + " " + w.billState()}, true
	case w.billNote != "":
		return flow.Field{Label: "BOL", Value: w.billNote}, true
	}
	return flow.Field{}, false
}

// billState says where the bill of lading's print job is: printing until
// the printer took it, then printed (the screen is drawn again whenever the
// spool changes).
func (w *loadWork) billState() string {
	j, err := w.s.cfg.Printer.Job(w.billJob)
	switch {
	case err != nil:
		return "printing"
	case j.State == spool.Printed:
		return "printed"
	case j.State == spool.Cancelled:
		return "cancelled"
	}
	return "printing"
}
