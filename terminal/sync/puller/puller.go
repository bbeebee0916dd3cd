// Package puller follows the order hub's changes feed into the device's work
// cache: the tasks this device was given, kept so they can be worked
// offline, and the notices about them (an order cancelled, a task given to
// someone else) that the session shows the picker.
package puller

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/terminal/sync/internal/listeners"
)

// ChangeFeed is the hub's changes feed.
type ChangeFeed interface {
	Changes(ctx context.Context, after uint64, limit int) (api.ChangesResponse, error)
}

// PullerConfig tunes a Puller. Zero fields take the defaults.
type PullerConfig struct {
	Interval time.Duration // between pulls (default 30s)
	Page     int           // changes per request (default 500)
	Timeout  time.Duration // per request (default 15s)
	// Dock, when set, is fetched again whenever the feed brings a load
	// change, on a device that keeps a dock list (Cache.CachedDock).
	Dock DockSource
}

// Puller follows the hub's changes feed on a schedule, from the cursor kept
// in the Cache, and brings the cached tasks up to date: a task whose order
// was cancelled, or that was given to someone else, gets a Notice in the
// cache (Cache.TaskNotice) and listeners hear of it at once (OnNotice).
type Puller struct {
	cache *Cache
	feed  ChangeFeed
	cfg   PullerConfig
	log   *slog.Logger
	wake  chan struct{}

	onNotice listeners.List[Notice]
	onDock   listeners.List[time.Time]
}

// NewPuller makes a puller; call Run to start it.
func NewPuller(cache *Cache, feed ChangeFeed, cfg PullerConfig, log *slog.Logger) *Puller {
	if cfg.Interval <= 0 {
		cfg.Interval = 30 * time.Second
	}
	if cfg.Page <= 0 {
		cfg.Page = 500
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	return &Puller{cache: cache, feed: feed, cfg: cfg, log: log, wake: make(chan struct{}, 1)}
}

// OnNotice registers f, called (from the goroutine that pulls) with each new
// notice: "the order of task X was cancelled", "task X was reassigned". Any
// number of listeners may be registered. It returns the function that
// removes f: once that has returned, f is not running and is never called
// again. Do not call it from f, nor holding a lock f takes.
func (p *Puller) OnNotice(f func(Notice)) (unsubscribe func()) {
	return p.onNotice.Add(f)
}

// Kick pulls at once (after a claim, or when the network is back).
func (p *Puller) Kick() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Run pulls every Interval, and when kicked, until ctx is done.
func (p *Puller) Run(ctx context.Context) {
	for {
		if _, err := p.Pull(ctx); err != nil && ctx.Err() == nil {
			p.log.Warn("sync: changes feed", "err", err)
		}
		timer := time.NewTimer(p.cfg.Interval)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-p.wake:
			timer.Stop()
		case <-timer.C:
		}
	}
}

// Pull reads the feed up to its end and applies it; it returns the new
// notices (also given to the OnNotice listeners).
func (p *Puller) Pull(ctx context.Context) ([]Notice, error) {
	var all []Notice
	for {
		cursor, err := p.cache.ChangesCursor()
		if err != nil {
			return all, err
		}
		rctx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
		page, err := p.feed.Changes(rctx, cursor, p.cfg.Page)
		cancel()
		if err != nil {
			return all, fmt.Errorf("changes after %d: %w", cursor, err)
		}
		fresh, err := p.cache.ApplyChanges(page)
		if err != nil {
			return all, err
		}
		if slices.ContainsFunc(page.Changes, loadChange) {
			p.refreshDock(ctx)
		}
		for _, n := range fresh {
			p.log.Info("sync: task changed on the hub", "kind", n.Kind, "task", n.TaskID, "order", n.OrderID, "user", n.UserID)
			p.onNotice.Notify(n)
		}
		all = append(all, fresh...)
		if !page.More {
			return all, nil
		}
	}
}
