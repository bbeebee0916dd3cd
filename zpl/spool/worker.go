package spool

import (
	"context"
	"errors"
	"time"

	"github.com/rfterm/rfterm/zpl/printer"
)

// Timing of the worker.
const (
	MinBackoff   = time.Second      // first wait after the printer refused a job
	MaxBackoff   = 30 * time.Second // longest wait between attempts
	PollInterval = 30 * time.Second // status check while idle
)

// RetryNow wakes the worker: a waiting job is tried at once (say, the
// operator has loaded paper), and an idle worker checks the printer now.
func (s *Spool) RetryNow() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Run sends queued jobs, oldest first, until ctx ends. While the printer
// refuses (offline, paused, out of paper, silent) the job waits and is tried
// again with a growing backoff; while idle the printer's status is polled so
// the status line stays true.
func (s *Spool) Run(ctx context.Context) error {
	s.poll(ctx)
	var backoff time.Duration
	checkNow := false
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		job, ok, err := s.nextQueued()
		if err != nil {
			s.log.Error("print spool: reading jobs", "err", err)
			ok = false
		}
		if !ok && checkNow {
			s.poll(ctx)
		}
		checkNow = false
		if !ok {
			poll := s.clock.After(PollInterval)
			s.update(func(x *Status) { x.Idle = true })
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-s.kick:
				checkNow = true // unless a job came, look at the printer
			case <-poll:
				s.poll(ctx)
			}
			s.update(func(x *Status) { x.Idle = false })
			continue
		}
		select { // a pending wake-up is served by this pass
		case <-s.kick:
		default:
		}
		if s.send(ctx, job) {
			backoff = 0
			continue
		}
		backoff = min(MaxBackoff, max(MinBackoff, 2*backoff))
		retry := s.clock.After(backoff) // armed before it is announced
		s.update(func(x *Status) { x.NextRetry = s.clock.Now().Add(backoff) })
		select {
		case <-ctx.Done():
		case <-s.kick:
		case <-retry:
		}
		s.update(func(x *Status) { x.NextRetry = time.Time{} })
	}
}

// send hands one job to the printer. The job is marked Sending on disk
// before any byte leaves, so a crash mid-send leaves it Unknown, never
// silently re-sent. It reports whether the job printed.
func (s *Spool) send(ctx context.Context, j Job) bool {
	name := s.printer.Name()
	err := s.modify(j.ID, func(x *Job) error {
		if x.State != Queued {
			return ErrState // cancelled in the meantime
		}
		x.State, x.Printer = Sending, name
		x.Attempts++
		return nil
	})
	if errors.Is(err, ErrState) {
		return true
	}
	if err != nil {
		s.log.Error("print spool: marking job sending", "job", j.ID.String(), "err", err)
		return false
	}
	s.setPrinter(PrinterPrinting, "", printer.Status{})
	r, perr := s.printer.Print(ctx, j.ZPL)
	final, why := Printed, ""
	switch {
	case perr == nil:
		if r.After.Ready() {
			s.setPrinter(PrinterReady, "", r.After)
		} else {
			s.setPrinter(PrinterFault, r.After.String(), r.After)
		}
	case errors.Is(perr, printer.ErrNotSent):
		final, why = Queued, Reason(perr)
	default:
		final, why = Unknown, Reason(perr)
	}
	if perr != nil && ctx.Err() == nil {
		s.setPrinter(PrinterFault, why, r.Before)
	}
	if final == Queued && ctx.Err() != nil {
		why = "stopped before sending"
	}
	s.log.Info("print job attempt", "job", j.ID.String(), "name", j.Name, "state", string(final), "reason", why)
	if err := s.modify(j.ID, func(x *Job) error {
		x.State, x.LastError = final, why
		return nil
	}); err != nil {
		// The job stays Sending on disk and becomes Unknown at the next start.
		s.log.Error("print spool: recording job outcome", "job", j.ID.String(), "err", err)
	}
	return final == Printed
}

// poll asks the printer for its status while nothing is being sent.
func (s *Spool) poll(ctx context.Context) {
	st, err := s.printer.Status(ctx)
	switch {
	case ctx.Err() != nil:
	case err != nil:
		s.setPrinter(PrinterFault, Reason(err), printer.Status{})
	case st.Ready():
		s.setPrinter(PrinterReady, "", st)
	default:
		s.setPrinter(PrinterFault, st.String(), st)
	}
}
