package spool

import (
	"errors"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rfterm/rfterm/zpl/printer"
)

// PrinterState is the printer as the spool last saw it.
type PrinterState string

// Printer states.
const (
	PrinterUnknown  PrinterState = "not checked yet"
	PrinterReady    PrinterState = "ready"
	PrinterPrinting PrinterState = "printing"
	PrinterFault    PrinterState = "fault"
)

// Status is what the station's status line shows about printing.
type Status struct {
	Printer       string         // which printer
	State         PrinterState   // ready, printing, fault…
	Reason        string         // why, for a fault: "paper out", "not answering…"
	Since         time.Time      // when State began
	Last          printer.Status // the last ~HS answer
	Waiting       int            // jobs queued
	NeedsDecision int            // jobs whose outcome is unknown
	NextRetry     time.Time      // when a waiting job is tried again; zero if none
	Idle          bool           // the worker waits for a job (and polls the printer)
}

// Line is the status in one short line, e.g.
// "printer 10.0.0.5:9100: paper out; 2 waiting; 1 to confirm".
func (s Status) Line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "printer %s: ", s.Printer)
	if s.State == PrinterFault {
		b.WriteString(s.Reason)
	} else {
		b.WriteString(string(s.State))
	}
	if s.Waiting > 0 {
		fmt.Fprintf(&b, "; %d waiting", s.Waiting)
	}
	if s.NeedsDecision > 0 {
		fmt.Fprintf(&b, "; %d to confirm", s.NeedsDecision)
	}
	return b.String()
}

// Status returns the current status (it never touches the disk or network).
func (s *Spool) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// Changed returns a channel that is closed at the next status change; call
// Status then, and Changed again for the one after.
func (s *Spool) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// update changes the status under the lock and wakes the subscribers.
func (s *Spool) update(fn func(*Status)) {
	s.mu.Lock()
	before := s.status
	fn(&s.status)
	if s.status.State != before.State || s.status.Reason != before.Reason {
		s.status.Since = s.clock.Now()
	}
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
}

// setPrinter records what the printer said.
func (s *Spool) setPrinter(state PrinterState, reason string, st printer.Status) {
	s.update(func(x *Status) {
		x.State, x.Reason = state, reason
		if st != (printer.Status{}) {
			x.Last = st
		}
	})
}

// refreshCounts recounts waiting and undecided jobs.
func (s *Spool) refreshCounts() error {
	waiting, undecided := 0, 0
	err := s.db.View(func(tx *bolt.Tx) error {
		eachOpen(tx, func(_ JobID, st State) bool {
			switch st {
			case Queued:
				waiting++
			case Unknown:
				undecided++
			}
			return true
		})
		return nil
	})
	if err != nil {
		return fmt.Errorf("print spool: %w", err)
	}
	s.update(func(x *Status) { x.Waiting, x.NeedsDecision = waiting, undecided })
	return nil
}

// changedJobs recounts after a job changed, logging a failure (the counts
// are for display only).
func (s *Spool) changedJobs() {
	if err := s.refreshCounts(); err != nil {
		s.log.Error("print spool: counting jobs", "err", err)
	}
}

// Reason words a printer error for the status line.
func Reason(err error) string {
	var fe *printer.FaultError
	switch {
	case errors.As(err, &fe):
		return fe.Status.String()
	case errors.Is(err, printer.ErrNoAnswer):
		return "not answering (paper out, head open or ribbon out?)"
	case errors.Is(err, printer.ErrUnreachable):
		return "unreachable (switched off or unplugged?)"
	case errors.Is(err, printer.ErrInterrupted):
		return "connection lost while sending"
	case errors.Is(err, printer.ErrBadReply):
		return "answer not understood"
	}
	return err.Error()
}
