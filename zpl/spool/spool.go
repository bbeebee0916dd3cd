// Package spool is the device's durable print queue. A job is written to the
// device's bbolt file before Submit returns, survives a crash and restart,
// waits and retries while the printer is offline, paused or out of paper, and
// is never silently printed twice: a job whose outcome is unknown (the
// connection dropped mid-send, the process died while sending) waits for the
// operator to confirm "it printed" or "reprint".
package spool

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	bolt "go.etcd.io/bbolt"

	"github.com/rfterm/rfterm/zpl/printer"
)

// Printer is what the spool needs of a printer; *printer.Client has it.
type Printer interface {
	// Name says which printer, for the status line.
	Name() string
	// Print checks status, sends the job and checks again. Its errors wrap
	// printer.ErrNotSent when nothing was sent, printer.ErrOutcomeUnknown
	// when the job may have printed.
	Print(ctx context.Context, job []byte) (printer.Report, error)
	// Status asks the printer for its status.
	Status(ctx context.Context) (printer.Status, error)
}

// ErrState is returned for an action the job's state does not allow.
var ErrState = errors.New("print job state")

// Spool is the print queue for one printer. Its methods are safe for
// concurrent use; one Run worker sends the jobs.
type Spool struct {
	db      *bolt.DB
	printer Printer
	clock   Clock
	log     *slog.Logger
	kick    chan struct{}

	mu      sync.Mutex
	status  Status
	changed chan struct{}
}

// Open prepares the spool's bucket in a bbolt database the device already has
// open, and turns any job left in Sending by a crash into Unknown (it is
// never re-sent on its own). clock and log may be nil.
func Open(db *bolt.DB, p Printer, clock Clock, log *slog.Logger) (*Spool, error) {
	if clock == nil {
		clock = SystemClock{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Spool{db: db, printer: p, clock: clock, log: log, kick: make(chan struct{}, 1), changed: make(chan struct{})}
	s.status = Status{Printer: p.Name(), State: PrinterUnknown, Since: clock.Now()}
	err := db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{jobsBucket, openBucket} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		var cut []JobID
		eachOpen(tx, func(id JobID, st State) bool {
			if st == Sending {
				cut = append(cut, id)
			}
			return true
		})
		for _, id := range cut {
			j, err := getJob(tx.Bucket(jobsBucket), id)
			if err != nil {
				return err
			}
			j.State, j.LastError, j.Updated = Unknown, "interrupted while sending (the terminal stopped)", clock.Now()
			if err := putJob(tx, j); err != nil {
				return err
			}
			log.Warn("print job outcome unknown after restart", "job", j.ID.String(), "name", j.Name)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("print spool: %w", err)
	}
	if err := s.refreshCounts(); err != nil {
		return nil, err
	}
	return s, nil
}

// Submit stores a job for printing; it is on disk when Submit returns.
func (s *Spool) Submit(r Request) (JobID, error) {
	if len(r.ZPL) == 0 {
		return 0, fmt.Errorf("%w: job %q has no ZPL", ErrState, r.Name)
	}
	return s.add(Job{Name: r.Name, ZPL: slices.Clone(r.ZPL)})
}

// Reprint queues a copy of a job (any state) as a new job.
func (s *Spool) Reprint(id JobID) (JobID, error) {
	j, err := s.Job(id)
	if err != nil {
		return 0, err
	}
	return s.add(Job{Name: j.Name, ZPL: j.ZPL, ReprintOf: id})
}

func (s *Spool) add(j Job) (JobID, error) {
	now := s.clock.Now()
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(jobsBucket)
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		j.ID, j.State, j.Created, j.Updated = JobID(seq), Queued, now, now
		return putJob(tx, j)
	})
	if err != nil {
		return 0, fmt.Errorf("print spool: saving job %q: %w", j.Name, err)
	}
	s.log.Info("print job queued", "job", j.ID.String(), "name", j.Name, "bytes", len(j.ZPL))
	s.changedJobs()
	s.RetryNow()
	return j.ID, nil
}

// Confirm settles a job whose outcome is unknown: printed true marks it
// printed, false queues it to print again.
func (s *Spool) Confirm(id JobID, printed bool) error {
	err := s.modify(id, func(j *Job) error {
		if j.State != Unknown {
			return fmt.Errorf("%w: %s is %s, only a job whose outcome is unknown needs confirming", ErrState, id, j.State)
		}
		if printed {
			j.State, j.Confirmed = Printed, true
		} else {
			j.State = Queued
		}
		return nil
	})
	if err == nil && !printed {
		s.RetryNow()
	}
	return err
}

// Cancel withdraws a job that is queued or whose outcome is unknown.
func (s *Spool) Cancel(id JobID) error {
	return s.modify(id, func(j *Job) error {
		if j.State != Queued && j.State != Unknown {
			return fmt.Errorf("%w: %s is %s and cannot be cancelled", ErrState, id, j.State)
		}
		j.State = Cancelled
		return nil
	})
}

// Job returns one job.
func (s *Spool) Job(id JobID) (Job, error) {
	var j Job
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		j, err = getJob(tx.Bucket(jobsBucket), id)
		return err
	})
	return j, err
}

// Jobs lists the jobs held, newest first.
func (s *Spool) Jobs() ([]Job, error) {
	var out []Job
	err := s.db.View(func(tx *bolt.Tx) error {
		return eachJob(tx.Bucket(jobsBucket), func(j Job) bool {
			out = append(out, j)
			return true
		})
	})
	slices.Reverse(out)
	return out, err
}

// Last is the most recently printed job, for "reprint the last label".
func (s *Spool) Last() (Job, bool, error) {
	var last Job
	found := false
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(jobsBucket).Cursor()
		for k, _ := c.Last(); k != nil; k, _ = c.Prev() {
			j, err := getJob(tx.Bucket(jobsBucket), JobID(binary.BigEndian.Uint64(k)))
			if err != nil {
				return err
			}
			if j.State == Printed {
				last, found = j, true
				return nil
			}
		}
		return nil
	})
	return last, found, err
}

// modify changes one job in a transaction and publishes the change.
func (s *Spool) modify(id JobID, fn func(*Job) error) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(jobsBucket)
		j, err := getJob(b, id)
		if err != nil {
			return err
		}
		if err := fn(&j); err != nil {
			return err
		}
		j.Updated = s.clock.Now()
		if err := putJob(tx, j); err != nil {
			return err
		}
		if j.State.done() {
			return prune(tx)
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.changedJobs()
	return nil
}

// nextQueued is the oldest queued job.
func (s *Spool) nextQueued() (Job, bool, error) {
	var next Job
	found := false
	err := s.db.View(func(tx *bolt.Tx) error {
		var id JobID
		eachOpen(tx, func(i JobID, st State) bool {
			if st == Queued {
				id, found = i, true
			}
			return !found
		})
		if !found {
			return nil
		}
		var err error
		next, err = getJob(tx.Bucket(jobsBucket), id)
		return err
	})
	return next, found, err
}
