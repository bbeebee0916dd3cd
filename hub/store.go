package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/rfterm/rfterm/hub/boltstore"
	"github.com/rfterm/rfterm/hub/storage"
	"golang.org/x/crypto/bcrypt"
)

// Bucket names. Keys are the natural ids (SKU, location code, order id, ...).
const (
	bucketMeta       = "meta"       // metaSeeded, metaSiteName, the site's settings
	bucketItems      = "items"      // SKU -> domain.Item
	bucketItemKeys   = "item_keys"  // GTIN-14 or extra barcode -> SKU
	bucketLocations  = "locations"  // code -> domain.Location
	bucketUsers      = "users"      // user id -> domain.User
	bucketBadges     = "badges"     // badge -> user id
	bucketOrders     = "orders"     // order id -> domain.Order
	bucketTasks      = "tasks"      // task id -> domain.Task
	bucketCartons    = "cartons"    // carton code -> domain.CartonType
	bucketStock      = "stock"      // SKU -> location code
	bucketDevices    = "devices"    // device id -> deviceRecord
	bucketTokens     = "tokens"     // hex SHA-256 of a token -> device id
	bucketBackorders = "backorders" // big-endian sequence -> domain.Backorder
	bucketChanges    = "changes"    // big-endian sequence -> api.Change
)

// Buckets of the pack station's side.
const (
	bucketTotes      = "totes"       // tote -> toteRecord: the order last picked into it
	bucketShipments  = "shipments"   // order id -> domain.Shipment
	bucketSSCCBlocks = "sscc_blocks" // big-endian first serial reference -> api.SSCCReservation
	bucketSSCCs      = "ssccs"       // SSCC -> ssccUse: every SSCC a carton was given
)

// Keys of the meta bucket.
const (
	metaSeeded    = "seeded"
	metaEnrollKey = "enroll_key" // in clear, in a default site seeded before sites (see adoptDefault)
	metaSiteName  = "site_name"
	metaGS1Prefix = "gs1_company_prefix"
	metaSSCCExt   = "sscc_extension"
	metaSSCCNext  = "sscc_next" // big-endian: the next serial reference to reserve
)

// Store is the hub: its business rules over a storage.DB. It is safe for
// concurrent use.
type Store struct {
	db    siteDB       // each transaction sees its call's site (hub/sites.go), over the schema's view
	group *groupCommit // the ingest writer
	opts  options
	// stopMaintain ends the maintenance loop, which closes maintained.
	stopMaintain, maintained chan struct{}
	closeOnce                sync.Once
}

// Option configures Open and New.
type Option func(*options)

type options struct {
	timeout       time.Duration
	pinCost       int           // bcrypt cost of PINs hashed at seed
	archiveAfter  time.Duration // the retention, over the site's (0: the site's)
	maintainEvery time.Duration // how often Maintain runs in the background (0: never)
	log           *slog.Logger
	// unverifiedLeads: lead calls need no lead session (WithUnverifiedLeads).
	unverifiedLeads bool
}

func newOptions(opts []Option) options {
	o := options{timeout: boltstore.DefaultTimeout, pinCost: bcrypt.DefaultCost, maintainEvery: DefaultMaintainEvery, log: slog.Default()}
	for _, f := range opts {
		f(&o)
	}
	return o
}

// WithArchiveAfter sets the retention of finished work, over the site's
// archive_after_days (see Maintain).
func WithArchiveAfter(d time.Duration) Option {
	return func(o *options) { o.archiveAfter = d }
}

// WithMaintainEvery sets how often the hub archives in the background
// (default DefaultMaintainEvery; 0 never: call Maintain).
func WithMaintainEvery(d time.Duration) Option {
	return func(o *options) { o.maintainEvery = d }
}

// WithLogger sets where the hub's background work logs its failures
// (default slog.Default()).
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.log = l }
}

// WithOpenTimeout sets how long Open waits for the file lock held by another
// process (default 2s).
func WithOpenTimeout(d time.Duration) Option {
	return func(o *options) { o.timeout = d }
}

// Open opens (creating if needed) the hub database in the bbolt file at
// path (see package boltstore): the embedded store. A file written by an
// older hub is brought up to date first (see schema.go).
func Open(path string, opts ...Option) (*Store, error) {
	db, err := boltstore.Open(path, boltstore.Options{Timeout: newOptions(opts).timeout})
	if err != nil {
		return nil, err
	}
	s := New(db, opts...)
	if err := s.db.ensure(context.Background()); err != nil {
		s.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return s, nil
}

// New runs the hub over db, which it owns from then on: Close closes it. A
// database written by an older hub is brought up to date before the first
// call's transaction (see schema.go).
func New(db storage.DB, opts ...Option) *Store {
	sdb := &schemaDB{DB: db}
	s := &Store{db: siteDB{sdb}, group: startGroupCommit(sdb), opts: newOptions(opts),
		stopMaintain: make(chan struct{}), maintained: make(chan struct{})}
	go s.maintainLoop(s.opts.maintainEvery)
	return s
}

// Close stops the background work and the ingest writer, and closes the
// database.
func (s *Store) Close() error {
	s.closeOnce.Do(func() { close(s.stopMaintain) })
	<-s.maintained
	s.group.stop()
	return s.db.Close()
}

// Seeded reports whether the database holds the site of ctx (the default
// site unless ctx names another).
func (s *Store) Seeded(ctx context.Context) (bool, error) {
	var ok bool
	err := s.db.View(ctx, func(tx storage.Tx) error {
		v, err := tx.Bucket(bucketMeta).Get([]byte(metaSeeded))
		ok = v != nil
		return err
	})
	return ok, err
}

// getJSON decodes the value at key; ok is false when there is none.
func getJSON[T any](b storage.Bucket, key string) (v T, ok bool, err error) {
	raw, err := b.Get([]byte(key))
	if err != nil || raw == nil {
		return v, false, err
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, false, fmt.Errorf("decode %q: %w", key, err)
	}
	return v, true, nil
}

// mustGet is getJSON for records that must exist; a missing one is a not_found error.
func mustGet[T any](b storage.Bucket, what, key string) (T, error) {
	v, ok, err := getJSON[T](b, key)
	if err == nil && !ok {
		err = notFound("%s %q not found", what, key)
	}
	return v, err
}

func putJSON(b storage.Bucket, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	return b.Put([]byte(key), raw)
}

// scanJSON decodes every value of a bucket in [from, to), in key order,
// and hands each to fn with its key.
func scanJSON[T any](b storage.Bucket, from, to []byte, fn func(k []byte, v T) error) error {
	return b.Scan(from, to, func(k, raw []byte) error {
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return fmt.Errorf("decode %q: %w", k, err)
		}
		return fn(k, v)
	})
}

// listJSON decodes every value of a bucket, in key order, keeping those keep accepts.
func listJSON[T any](b storage.Bucket, keep func(T) bool) ([]T, error) {
	out := []T{}
	err := scanJSON(b, nil, nil, func(_ []byte, v T) error {
		if keep == nil || keep(v) {
			out = append(out, v)
		}
		return nil
	})
	return out, err
}
