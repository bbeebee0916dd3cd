// Package boltstore is the hub's embedded storage backend: storage.DB over
// one bbolt file. It knows nothing of the hub's records: it stores ordered
// buckets, checks the file at open, reads it whole on demand (Check) and
// copies it while the hub runs (Backup).
//
// Each storage bucket is a top-level bbolt bucket, created by the first
// write to it. bbolt allows one writer at a time, so Update never conflicts
// and never runs its function twice; a writer waiting for another honours
// its context. A panic of bbolt's on a damaged page is returned as an error
// wrapping ErrDamaged, and fails that transaction only.
package boltstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/rfterm/rfterm/hub/storage"
)

// DefaultTimeout is how long Open waits for the file lock by default.
const DefaultTimeout = 2 * time.Second

// Options configures Open.
type Options struct {
	// Timeout is how long Open waits for the file lock another process
	// holds (0: DefaultTimeout).
	Timeout time.Duration
}

// DB is a hub database in a bbolt file. It implements storage.DB.
type DB struct {
	bolt   *bolt.DB
	path   string
	writer chan struct{} // holds one token: the right to write
}

var _ storage.DB = (*DB)(nil)

// Open opens (creating if needed) the bbolt file at path and checks it
// (the bounded check: see Check for the whole one). A zero-length file is
// refused, never taken for a new database; a damaged one is refused with
// what to do.
func Open(path string, o Options) (*DB, error) {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if err := refuseEmptyFile(path); err != nil {
		return nil, err
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: o.Timeout})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("open hub database: another process has %s open: %w", path, err)
	}
	if err != nil {
		return nil, fmt.Errorf("open hub database %s: %w", path, err)
	}
	if err := quickCheck(db); err != nil {
		db.Close()
		return nil, damagedAdvice(path, err)
	}
	d := &DB{bolt: db, path: path, writer: make(chan struct{}, 1)}
	d.writer <- struct{}{}
	return d, nil
}

// Path is the file the database is in.
func (d *DB) Path() string { return d.path }

// View runs fn in a read-only transaction.
func (d *DB) View(ctx context.Context, fn func(storage.Tx) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	defer recovered(&err, "read")
	return closedErr(d.bolt.View(func(btx *bolt.Tx) error {
		return fn(newTx(ctx, btx))
	}))
}

// Update runs fn in a read-write transaction and commits it when fn returns
// nil. Writers take turns; one waiting for its turn gives up when ctx ends.
func (d *DB) Update(ctx context.Context, fn func(storage.Tx) error) (err error) {
	select {
	case <-d.writer:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { d.writer <- struct{}{} }()
	if err := ctx.Err(); err != nil {
		return err
	}
	defer recovered(&err, "write")
	return closedErr(d.bolt.Update(func(btx *bolt.Tx) error {
		return fn(newTx(ctx, btx))
	}))
}

// Close closes the file; calls after it return storage.ErrClosed.
func (d *DB) Close() error {
	if err := d.bolt.Close(); err != nil {
		return fmt.Errorf("close hub database %s: %w", d.path, err)
	}
	return nil
}

// closedErr turns bbolt's "database not open" into storage.ErrClosed.
func closedErr(err error) error {
	if errors.Is(err, berrors.ErrDatabaseNotOpen) {
		return storage.ErrClosed
	}
	return err
}

// tx is one bbolt transaction, with the buckets it has handed out.
type tx struct {
	ctx     context.Context
	btx     *bolt.Tx
	buckets map[string]*bucket
}

func newTx(ctx context.Context, btx *bolt.Tx) *tx {
	return &tx{ctx: ctx, btx: btx, buckets: map[string]*bucket{}}
}

// Bucket returns the named bucket; it is created by the first write to it.
func (t *tx) Bucket(name string) storage.Bucket {
	b := t.buckets[name]
	if b == nil {
		b = &bucket{tx: t, name: name, b: t.btx.Bucket([]byte(name))}
		t.buckets[name] = b
	}
	return b
}

// Context is the context the transaction was started with.
func (t *tx) Context() context.Context { return t.ctx }

// bucket is a top-level bbolt bucket; b is nil until it exists.
type bucket struct {
	tx   *tx
	name string
	b    *bolt.Bucket
}

// writable returns the bbolt bucket to write to, creating it if needed.
func (b *bucket) writable() (*bolt.Bucket, error) {
	if !b.tx.btx.Writable() {
		return nil, storage.ErrReadOnly
	}
	if b.b == nil {
		nb, err := b.tx.btx.CreateBucketIfNotExists([]byte(b.name))
		if err != nil {
			return nil, fmt.Errorf("bucket %s: %w", b.name, err)
		}
		b.b = nb
	}
	return b.b, nil
}

// Get returns the value at key, or nil.
func (b *bucket) Get(key []byte) ([]byte, error) {
	if b.b == nil {
		return nil, nil
	}
	return b.b.Get(key), nil
}

// Put stores a copy of value at key (bbolt keeps the slices it is given
// until the commit; the caller's stay the caller's).
func (b *bucket) Put(key, value []byte) error {
	w, err := b.writable()
	if err != nil {
		return err
	}
	kv := make([]byte, len(key)+len(value))
	copy(kv, key)
	copy(kv[len(key):], value)
	if err := w.Put(kv[:len(key):len(key)], kv[len(key):]); err != nil {
		return fmt.Errorf("put %s %q: %w", b.name, key, err)
	}
	return nil
}

// Delete removes key.
func (b *bucket) Delete(key []byte) error {
	w, err := b.writable()
	if err != nil {
		return err
	}
	if err := w.Delete(key); err != nil {
		return fmt.Errorf("delete %s %q: %w", b.name, key, err)
	}
	return nil
}

// NextSequence returns the bucket's next sequence number.
func (b *bucket) NextSequence() (uint64, error) {
	w, err := b.writable()
	if err != nil {
		return 0, err
	}
	n, err := w.NextSequence()
	if err != nil {
		return 0, fmt.Errorf("sequence of %s: %w", b.name, err)
	}
	return n, nil
}

// Scan calls fn for every key in [from, to), in order.
func (b *bucket) Scan(from, to []byte, fn func(k, v []byte) error) error {
	if b.b == nil {
		return nil
	}
	c := b.b.Cursor()
	k, v := c.First()
	if from != nil {
		k, v = c.Seek(from)
	}
	for ; k != nil && (to == nil || bytes.Compare(k, to) < 0); k, v = c.Next() {
		if v == nil {
			continue // a nested bucket: the hub makes none
		}
		if err := fn(k, v); err != nil {
			if errors.Is(err, storage.ErrStop) {
				return nil
			}
			return err
		}
	}
	return nil
}

// Last returns the greatest key below before (nil: the greatest key).
func (b *bucket) Last(before []byte) (k, v []byte, err error) {
	if b.b == nil {
		return nil, nil, nil
	}
	c := b.b.Cursor()
	if before == nil {
		k, v = c.Last()
	} else if k, v = c.Seek(before); k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	for k != nil && v == nil { // skip nested buckets
		k, v = c.Prev()
	}
	return k, v, nil
}
