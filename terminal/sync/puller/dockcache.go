package puller

import (
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/terminal/sync/internal/kv"
)

// The dock list's bucket in the device store, next to the work cache's.
var (
	bucketDock = []byte("dock") // keyDock -> api.DockResponse JSON
	keyDock    = []byte("list")
)

// DockSource is the hub's dock list (api.Client.Dock).
type DockSource interface {
	Dock(ctx context.Context) (api.DockResponse, error)
}

// CacheDock keeps the hub's dock list, for staging and loading offline.
func (k *Cache) CacheDock(d api.DockResponse) error {
	return k.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketDock)
		if err != nil {
			return err
		}
		return kv.Put(b, keyDock, d)
	})
}

// CachedDock is the dock list as last fetched; found is false on a device
// that never fetched it (not a dock terminal).
func (k *Cache) CachedDock() (d api.DockResponse, found bool, err error) {
	found, err = kv.Get(k.db, bucketDock, string(keyDock), &d)
	return d, found, err
}

// FetchDock asks src for the dock list and caches it.
func (k *Cache) FetchDock(ctx context.Context, src DockSource) (api.DockResponse, error) {
	d, err := src.Dock(ctx)
	if err != nil {
		return d, err
	}
	if d.At.IsZero() {
		d.At = time.Now()
	}
	if err := k.CacheDock(d); err != nil {
		return d, fmt.Errorf("cache dock list: %w", err)
	}
	return d, nil
}

// loadChange reports whether a change is about a load: the dock list is
// out of date.
func loadChange(ch api.Change) bool {
	switch ch.Kind {
	case api.ChangeLoadCreated, api.ChangeLoadChanged, api.ChangeLoadClosed:
		return true
	}
	return false
}

// refreshDock fetches the dock list again after load changes, on a device
// that keeps one (a dock terminal), and tells the OnDock listeners.
func (p *Puller) refreshDock(ctx context.Context) {
	if p.cfg.Dock == nil {
		return
	}
	if _, found, err := p.cache.CachedDock(); err != nil || !found {
		return
	}
	rctx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
	d, err := p.cache.FetchDock(rctx, p.cfg.Dock)
	cancel()
	if err != nil {
		p.log.Warn("sync: dock list", "err", err)
		return
	}
	p.log.Info("sync: dock list refreshed", "loads", len(d.Loads), "cartons", len(d.Cartons))
	p.onDock.Notify(d.At)
}

// OnDock registers f, called (from the goroutine that pulls) whenever a
// load change made the puller fetch the dock list again; at is when the hub
// made it. It returns the function that removes f.
func (p *Puller) OnDock(f func(at time.Time)) (unsubscribe func()) {
	return p.onDock.Add(f)
}
