package offline

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/rfterm/rfterm/api"
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
	return c
}

// SyncStatus is what the status line shows about delivery.
type SyncStatus struct {
	Online    bool
	Queued    int
	Oldest    time.Time
	Attention int
	LastError string // why the hub is not reachable or refused a batch, for people
}

// Sender drains the outbox to the hub in sequence order, one batch at a time.
// Delivery is at least once; the hub makes it exactly once.
type Sender struct {
	store *Store
	hub   Hub
	cfg   SenderConfig
	log   *slog.Logger
	wake  chan struct{}

	mu       sync.Mutex
	status   SyncStatus
	onChange []func()
}

// NewSender makes a sender; call Run to start it.
func NewSender(store *Store, hub Hub, cfg SenderConfig, log *slog.Logger) *Sender {
	s := &Sender{store: store, hub: hub, cfg: cfg.withDefaults(), log: log, wake: make(chan struct{}, 1)}
	s.recount()
	return s
}

// OnChange registers f to be called (from the sender's goroutine) whenever the status changes.
func (s *Sender) OnChange(f func()) {
	s.mu.Lock()
	s.onChange = append(s.onChange, f)
	s.mu.Unlock()
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
// the network.
func (s *Sender) Run(ctx context.Context) {
	failures, probe := 0, true
	for ctx.Err() == nil {
		sent, err := s.sendBatch(ctx)
		if err == nil && sent == 0 && probe {
			err = s.probe(ctx)
		}
		if ctx.Err() != nil {
			return
		}
		if err != nil || sent > 0 || probe {
			s.refresh(err)
		}
		var wait time.Duration
		switch {
		case err != nil:
			wait = s.cfg.Backoff.Wait(failures)
			failures++
			s.log.Warn("sync: hub unreachable", "err", err, "retry_in", wait)
		case sent > 0:
			failures, probe = 0, false
			continue // more may be queued
		default:
			failures = 0
			wait = s.cfg.Probe
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-s.wake:
			timer.Stop()
		case <-timer.C:
		}
		probe = true
	}
}

// sendBatch delivers one batch; it returns how many events the hub settled.
func (s *Sender) sendBatch(ctx context.Context) (int, error) {
	evs, err := s.store.Pending(s.cfg.BatchEvents, s.cfg.BatchBytes)
	if err != nil || len(evs) == 0 {
		return 0, err
	}
	rctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	resp, err := s.hub.SendEvents(rctx, api.IngestRequest{DeviceID: s.store.DeviceID(), Events: evs})
	cancel()
	if err != nil {
		return 0, fmt.Errorf("send %d events: %w", len(evs), err)
	}
	if len(resp.Results) != len(evs) {
		return 0, fmt.Errorf("hub answered %d results for %d events: %w", len(resp.Results), len(evs), api.ErrBadResponse)
	}
	for i, r := range resp.Results {
		if r.ID != evs[i].ID || r.Seq != evs[i].Seq {
			return 0, fmt.Errorf("hub result %d is for event %s/%d, sent %s/%d: %w", i, r.ID, r.Seq, evs[i].ID, evs[i].Seq, api.ErrBadResponse)
		}
		if r.Status == api.StatusRejected {
			s.log.Warn("sync: event rejected", "seq", r.Seq, "type", evs[i].Type, "code", r.Code, "message", r.Message)
		}
	}
	if err := s.store.Settle(resp.Results, time.Now()); err != nil {
		return 0, fmt.Errorf("settle: %w", err)
	}
	s.log.Info("sync: delivered", "events", len(evs), "first_seq", evs[0].Seq)
	return len(evs), nil
}

func (s *Sender) probe(ctx context.Context) error {
	rctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	if err := s.hub.Health(rctx); err != nil {
		return fmt.Errorf("hub health: %w", err)
	}
	return nil
}

// refresh records the result of the last contact with the hub (err nil: it
// answered) and recounts the outbox, telling listeners when anything changed.
func (s *Sender) refresh(err error) {
	q, serr := s.store.Stats()
	if serr != nil {
		s.log.Error("sync: outbox stats", "err", serr)
	}
	st := SyncStatus{Queued: q.Queued, Oldest: q.Oldest, Attention: q.Attention, Online: err == nil}
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
	st := SyncStatus{Queued: q.Queued, Oldest: q.Oldest, Attention: q.Attention, Online: s.status.Online, LastError: s.status.LastError}
	s.mu.Unlock()
	s.set(st)
}

func (s *Sender) set(st SyncStatus) {
	s.mu.Lock()
	changed := st != s.status
	s.status = st
	fns := s.onChange
	s.mu.Unlock()
	if changed {
		for _, f := range fns {
			f()
		}
	}
}
