package hub

import (
	"context"
	"encoding/binary"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/rfterm/rfterm/hub/storage"
)

// The schema version of a hub database, in its meta bucket: what the
// records and indexes written by this hub look like. A database of an
// older version (a file written before the indexes) is brought up to date
// before its first transaction, one upgrade at a time, each in one
// transaction with the version it reaches; a fresh database is stamped
// with the current version.
const metaSchema = "schema_version"

// upgrade brings a database from version-1 to version.
type upgrade struct {
	version int
	what    string
	run     func(tx storage.Tx) error
}

// upgrades lists every upgrade, oldest first; the last one's version is
// the version this hub writes.
func upgrades() []upgrade {
	return []upgrade{
		{1, "build the indexes", func(tx storage.Tx) error {
			ix, err := buildIndexes(tx)
			if err != nil {
				return err
			}
			return writeIndexes(tx, ix)
		}},
		{2, "a pick record per order line and per serial", upgradePicks},
		{3, "exactly-once in a window per device", upgradeDedup},
		{4, "the finished orders, for the archive", upgradeFinished},
	}
}

func schemaVersion(tx storage.Tx) (int, error) {
	raw, err := tx.Bucket(bucketMeta).Get([]byte(metaSchema))
	if err != nil || len(raw) != 8 {
		return 0, err
	}
	return int(binary.BigEndian.Uint64(raw)), nil
}

func setSchemaVersion(tx storage.Tx, v int) error {
	return tx.Bucket(bucketMeta).Put([]byte(metaSchema), binary.BigEndian.AppendUint64(nil, uint64(v)))
}

// upgradeSchema runs the upgrades db is missing.
func upgradeSchema(ctx context.Context, db storage.DB) error {
	latest := len(upgrades())
	err := db.View(ctx, func(tx storage.Tx) error {
		v, err := schemaVersion(tx)
		if err == nil && v > latest {
			err = fmt.Errorf("the hub database is of schema version %d, written by a newer hub; this one knows up to %d", v, latest)
		}
		return err
	})
	if err != nil {
		return err
	}
	for _, u := range upgrades() {
		err := db.Update(ctx, func(tx storage.Tx) error {
			v, err := schemaVersion(tx)
			if err != nil || v >= u.version {
				return err
			}
			if v == 0 && u.version == 1 && !holdsRecords(tx) {
				return setSchemaVersion(tx, latest) // a fresh database: nothing to upgrade
			}
			if err := u.run(tx); err != nil {
				return fmt.Errorf("upgrade the hub database to version %d (%s): %w", u.version, u.what, err)
			}
			return setSchemaVersion(tx, u.version)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// holdsRecords reports whether the database holds a site.
func holdsRecords(tx storage.Tx) bool {
	v, err := tx.Bucket(bucketMeta).Get([]byte(metaSeeded))
	return v != nil || err != nil
}

// schemaDB is the hub's view of its storage.DB: before its first
// transaction it brings the database's schema up to date (once; a failed
// upgrade is tried again by the next call, and its error returned).
type schemaDB struct {
	storage.DB
	mu    sync.Mutex
	ready atomic.Bool
	// waiting counts the Updates under way besides the ingest writer's: the
	// writer stops taking batches into its group while one waits.
	waiting atomic.Int32
}

func (d *schemaDB) ensure(ctx context.Context) error {
	if d.ready.Load() {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ready.Load() {
		return nil
	}
	if err := upgradeSites(ctx, d.DB); err != nil { // each site's, hub/site_registry.go
		return err
	}
	d.ready.Store(true)
	return nil
}

// View runs fn in a read-only transaction of the up-to-date database.
func (d *schemaDB) View(ctx context.Context, fn func(storage.Tx) error) error {
	if err := d.ensure(ctx); err != nil {
		return err
	}
	return d.DB.View(ctx, fn)
}

// Update runs fn in a read-write transaction of the up-to-date database.
func (d *schemaDB) Update(ctx context.Context, fn func(storage.Tx) error) error {
	d.waiting.Add(1)
	defer d.waiting.Add(-1)
	return d.update(ctx, fn)
}

// update is Update not counted as waiting: the ingest writer's.
func (d *schemaDB) update(ctx context.Context, fn func(storage.Tx) error) error {
	if err := d.ensure(ctx); err != nil {
		return err
	}
	return d.DB.Update(ctx, fn)
}
