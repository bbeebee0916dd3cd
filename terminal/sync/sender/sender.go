// Package sender drains the device's outbox to the order hub, in sequence
// order, in batches: it retries what can succeed later (network errors, 408,
// 429, 5xx) with exponential backoff and full jitter, parks business
// rejections on the store's needs-attention list, and keeps a SyncStatus
// for the status line.
package sender

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"sync"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/terminal/sync/internal/listeners"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
)

// Hub is what the sender needs of the order hub.
type Hub interface {
	SendEvents(ctx context.Context, req api.IngestRequest) (api.IngestResponse, error)
	Health(ctx context.Context) error
}

// SenderConfig tunes a Sender. Zero fields take the defaults.
type SenderConfig struct {
	BatchEvents int           // events per request (default 100)
	BatchBytes  int           // JSON bytes per request (default 256 KiB)
	Backoff     Backoff       // retry waits (default base 1s, max 60s)
	Probe       time.Duration // how often to check the hub while idle (default 10s)
	Timeout     time.Duration // per request (default 15s)
	// OfflineProbe is how often, while the hub cannot be reached, a health
	// check looks for the network coming back, whatever the backoff: the
	// queue drains as soon as it does (default 2s). It is also the health
	// check's timeout then (at least 1s).
	OfflineProbe time.Duration
}

func (c SenderConfig) withDefaults() SenderConfig {
	if c.BatchEvents <= 0 {
		c.BatchEvents = 100
	}
	if c.BatchBytes <= 0 {
		c.BatchBytes = 256 << 10
	}
	if c.Backoff.Base <= 0 {
		c.Backoff.Base = time.Second
	}
	if c.Backoff.Max <= 0 {
		c.Backoff.Max = 60 * time.Second
	}
	if c.Probe <= 0 {
		c.Probe = 10 * time.Second
	}
	if c.Timeout <= 0 {
		c.Timeout = 15 * time.Second
	}
	if c.OfflineProbe <= 0 {
		c.OfflineProbe = 2 * time.Second
	}
	return c
}

// SyncStatus is what the status line shows about delivery.
type SyncStatus struct {
	Online    bool
	Queued    int
	Oldest    time.Time
	Attention int // refused steps waiting for a person, all users (what a lead sees)
	// AttentionBy counts the refused steps by the user who did them ("":
	// entries whose user cannot be read); nil when there are none. Shared by
	// every copy of the status: read it, never change it. A session shows
	// AttentionFor its user.
	AttentionBy map[string]int
	LastError   string    // why the hub is not reachable or refused a batch, for people
	RetryAt     time.Time // after a failure, when the next attempt is due (zero otherwise)
	// NotEnrolled: the hub answered that it does not know this device's
	// token (revoked, or the id enrolled elsewhere). Final: the sender stops
	// retrying, and only a Kick tries again, until the device is enrolled.
	NotEnrolled bool
}

// AttentionFor is the count a user's status line shows: the refusals of
// their own steps and those whose user cannot be read.
func (st SyncStatus) AttentionFor(userID string) int {
	n := st.AttentionBy[""]
	if userID != "" {
		n += st.AttentionBy[userID]
	}
	return n
}

// equal reports whether two statuses show the same.
func (st SyncStatus) equal(o SyncStatus) bool {
	return st.Online == o.Online && st.Queued == o.Queued && st.Oldest.Equal(o.Oldest) &&
		st.Attention == o.Attention && maps.Equal(st.AttentionBy, o.AttentionBy) &&
		st.LastError == o.LastError && st.RetryAt.Equal(o.RetryAt) && st.NotEnrolled == o.NotEnrolled
}

// Sender drains the outbox to the hub in sequence order, one batch at a time.
// Delivery is at least once; the hub makes it exactly once.
type Sender struct {
	store *outbox.Store
	hub   Hub
	cfg   SenderConfig
	log   *slog.Logger
	wake  chan struct{}

	// resumeFrom is set when the hub asked for events this device no longer
	// holds; the next batch tells it to take up from there.
	resumeFrom uint64

	mu          sync.Mutex
	status      SyncStatus
	notEnrolled bool // the hub said it does not know this device; cleared by a batch it takes

	onChange listeners.List[struct{}]
}

// NewSender makes a sender; call Run to start it.
func NewSender(store *outbox.Store, hub Hub, cfg SenderConfig, log *slog.Logger) *Sender {
	s := &Sender{store: store, hub: hub, cfg: cfg.withDefaults(), log: log, wake: make(chan struct{}, 1)}
	s.recount()
	return s
}

// OnChange registers f to be called whenever the status changes (from the
// sender's goroutine, or from Kick's caller when Kick finds the queue
// changed). Any number of listeners may be registered. It returns the
// function that removes f: once that has returned, f is not running and is
// never called again. Do not call it from f, nor holding a lock f takes.
func (s *Sender) OnChange(f func()) (unsubscribe func()) {
	return s.onChange.Add(func(struct{}) { f() })
}

// Kick tells the sender there is something new to send, or that the network
// may be back: it recounts the queue and tries at once instead of waiting out
// its backoff.
func (s *Sender) Kick() {
	s.recount()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Status is the current delivery status.
func (s *Sender) Status() SyncStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// Run sends until ctx is done. With nothing to send it checks the hub's
// health every Probe, and at once when kicked, so the status line follows
// the network. After a failure it waits out the backoff (or the hub's
// Retry-After); while the hub cannot be reached at all it also checks its
// health every OfflineProbe and sends as soon as the network is back.
func (s *Sender) Run(ctx context.Context) {
	failures, probe := 0, true
	for ctx.Err() == nil {
		progress, err := s.sendBatch(ctx)
		if err == nil && !progress && probe {
			err = s.probe(ctx, s.cfg.Timeout)
		}
		if ctx.Err() != nil {
			return
		}
		var wait time.Duration
		switch {
		case errors.Is(err, api.ErrNotEnrolled):
			// Not a network fault: retrying cannot help until the device is
			// enrolled again. Say so, and wait for a kick.
			s.log.Error("sync: the hub does not know this device (revoked, or enrolled elsewhere): nothing is sent until it is enrolled again", "err", err)
			s.mu.Lock()
			s.notEnrolled = true
			s.mu.Unlock()
			s.refresh(err, time.Time{})
			failures, probe = 0, false
			s.waitKick(ctx)
			continue
		case err != nil:
			wait = s.cfg.Backoff.Wait(failures)
			if ra := api.RetryAfter(err); ra > 0 {
				wait = ra // the hub said how long
			}
			failures++
			s.log.Warn("sync: hub unreachable", "err", err, "retry_in", wait)
		case progress:
			failures, probe = 0, false
			s.mu.Lock()
			s.notEnrolled = false
			s.mu.Unlock()
			s.refresh(nil, time.Time{})
			continue // more may be queued
		default:
			failures = 0
			wait = s.cfg.Probe
		}
		if err != nil || probe {
			var retryAt time.Time
			if err != nil {
				retryAt = time.Now().Add(wait)
			}
			s.refresh(err, retryAt)
		}
		s.wait(ctx, wait, err != nil && api.Unanswered(err))
		probe = true
	}
}

// waitKick waits until kicked or ctx is done.
func (s *Sender) waitKick(ctx context.Context) {
	select {
	case <-ctx.Done():
	case <-s.wake:
	}
}

// wait sleeps for d, or until kicked or ctx is done. With probeNetwork it
// checks the hub's health every OfflineProbe meanwhile and returns as soon as
// it answers.
func (s *Sender) wait(ctx context.Context, d time.Duration, probeNetwork bool) {
	timer := time.NewTimer(d)
	defer timer.Stop()
	var tick <-chan time.Time
	if probeNetwork {
		t := time.NewTicker(s.cfg.OfflineProbe)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
			return
		case <-timer.C:
			return
		case <-tick:
			if s.probe(ctx, max(s.cfg.OfflineProbe, time.Second)) == nil {
				s.log.Info("sync: hub reachable again")
				return
			}
		}
	}
}

// sendBatch delivers one batch. progress is true when the outbox moved on:
// events settled, or the hub was told where to take up after a gap it
// cannot be sent.
func (s *Sender) sendBatch(ctx context.Context) (progress bool, err error) {
	evs, err := s.store.Pending(s.cfg.BatchEvents, s.cfg.BatchBytes)
	if err != nil || len(evs) == 0 {
		return false, err
	}
	rctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	resp, err := s.hub.SendEvents(rctx, api.IngestRequest{DeviceID: s.store.DeviceID(), Events: evs, ResumeFrom: s.resumeFrom})
	cancel()
	if err != nil {
		return false, fmt.Errorf("send %d events: %w", len(evs), err)
	}
	s.resumeFrom = 0
	if len(resp.Results) != len(evs) {
		return false, fmt.Errorf("hub answered %d results for %d events: %w", len(resp.Results), len(evs), api.ErrBadResponse)
	}
	settled := 0
	for i, r := range resp.Results {
		if r.ID != evs[i].ID || r.Seq != evs[i].Seq {
			return false, fmt.Errorf("hub result %d is for event %s/%d, sent %s/%d: %w", i, r.ID, r.Seq, evs[i].ID, evs[i].Seq, api.ErrBadResponse)
		}
		switch r.Status {
		case api.StatusRejected:
			s.log.Warn("sync: event rejected", "seq", r.Seq, "type", evs[i].Type, "code", r.Code, "message", r.Message)
		case api.StatusDeferred:
			continue
		}
		settled++
	}
	if err := s.store.Settle(resp.Results, time.Now()); err != nil {
		return false, fmt.Errorf("settle: %w", err)
	}
	if settled > 0 {
		s.log.Info("sync: delivered", "events", settled, "first_seq", evs[0].Seq)
	}
	if settled == len(evs) {
		return true, nil
	}
	// A gap: the hub wants to go on from resp.NextSeq.
	if resp.NextSeq < evs[0].Seq {
		// This device settled those events long ago (the hub lost them), or
		// set them aside as unreadable (they are on the needs-attention list).
		s.log.Error("sync: hub expects events this device no longer holds (delivered, or set aside as unreadable); telling it to take up from here",
			"hub_next_seq", resp.NextSeq, "resume_from", evs[0].Seq)
		s.resumeFrom = evs[0].Seq
		return true, nil
	}
	if settled > 0 {
		return true, nil // resend from the hub's next number
	}
	return false, fmt.Errorf("hub expects event %d; the outbox holds %d next: %w", resp.NextSeq, evs[0].Seq, api.ErrBadResponse)
}

func (s *Sender) probe(ctx context.Context, timeout time.Duration) error {
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := s.hub.Health(rctx); err != nil {
		return fmt.Errorf("hub health: %w", err)
	}
	return nil
}

// refresh records the result of the last contact with the hub (err nil: it
// answered) and recounts the outbox, telling listeners when anything changed.
func (s *Sender) refresh(err error, retryAt time.Time) {
	q, serr := s.store.Stats()
	if serr != nil {
		s.log.Error("sync: outbox stats", "err", serr)
	}
	s.mu.Lock()
	notEnrolled := s.notEnrolled
	s.mu.Unlock()
	st := SyncStatus{Queued: q.Queued, Oldest: q.Oldest, Attention: q.Attention, AttentionBy: q.AttentionBy, Online: err == nil, RetryAt: retryAt, NotEnrolled: notEnrolled}
	if err != nil {
		st.LastError = err.Error()
	}
	s.set(st)
}

// recount updates the queue figures without a contact with the hub.
func (s *Sender) recount() {
	q, err := s.store.Stats()
	if err != nil {
		s.log.Error("sync: outbox stats", "err", err)
		return
	}
	s.mu.Lock()
	st := SyncStatus{Queued: q.Queued, Oldest: q.Oldest, Attention: q.Attention, AttentionBy: q.AttentionBy,
		Online: s.status.Online, LastError: s.status.LastError, RetryAt: s.status.RetryAt, NotEnrolled: s.notEnrolled}
	s.mu.Unlock()
	s.set(st)
}

func (s *Sender) set(st SyncStatus) {
	s.mu.Lock()
	changed := !st.equal(s.status)
	s.status = st
	s.mu.Unlock()
	if changed {
		s.onChange.Notify(struct{}{})
	}
}
