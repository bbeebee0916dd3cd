package pgstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/rfterm/rfterm/hub/storage"
)

// MaxKeySize is the longest key Put accepts.
const MaxKeySize = 2048

// MaxAttempts is how many times Update runs a transaction that keeps
// failing with serialization failures or deadlocks, by default.
const MaxAttempts = 20

// Backoff between attempts: a random duration up to min(backoffCap,
// backoffBase·2^(attempt-1)) ("full jitter"), so transactions that
// collided do not collide again in step.
const (
	backoffBase = 2 * time.Millisecond
	backoffCap  = 100 * time.Millisecond
)

// plannerSettings are set on every connection (unless the DSN sets them):
// every statement here is a lookup or a range of the primary key, for which
// an index scan is right whatever the statistics say. A table that grew
// fast since it was last analyzed otherwise gets plans that read a whole
// bucket per lookup (seen: 50 ms for 500 keys among 3,000), and a
// sequential scan under SERIALIZABLE takes a predicate lock on the whole
// table, so every writer conflicts with it. JIT is off: a plan that must
// use a disabled kind of node (the schema version's table has no index)
// carries its penalty cost, far past jit_above_cost, and was compiled for
// 100–250 ms at every hub's start.
func plannerSettings() map[string]string {
	return map[string]string{
		"enable_seqscan":    "off",
		"enable_bitmapscan": "off",
		"enable_hashjoin":   "off",
		"enable_mergejoin":  "off",
		"jit":               "off",
	}
}

// DB is a storage.DB on PostgreSQL.
type DB struct {
	pool        *pgxpool.Pool
	maxAttempts int
	noReadCache bool
	closed      atomic.Bool
}

var _ storage.DB = (*DB)(nil)

// Option changes how Open sets a DB up.
type Option func(*config)

// config is what the options set.
type config struct {
	maxAttempts int
	noReadCache bool
	pool        []func(*pgxpool.Config)
}

// WithoutReadCache makes every Get read the database, even a key the
// transaction read before (by Get or GetMany): the store as it was before
// it kept its reads, for measuring what keeping them saves.
func WithoutReadCache() Option {
	return func(c *config) { c.noReadCache = true }
}

// WithMaxAttempts sets how many times Update runs a transaction that
// conflicts (at least 1).
func WithMaxAttempts(n int) Option {
	return func(c *config) { c.maxAttempts = max(1, n) }
}

// WithPoolConfig adjusts the pool's configuration (sizes, a tracer, TLS)
// after it is parsed from the DSN and before the pool connects.
func WithPoolConfig(f func(*pgxpool.Config)) Option {
	return func(c *config) { c.pool = append(c.pool, f) }
}

// Open connects to the database at dsn (a postgres:// URL or key=value
// pairs, with pgxpool's pool_* settings) and checks that its schema is the
// one this program was built for; it migrates nothing (see Migrate).
func Open(ctx context.Context, dsn string, opts ...Option) (*DB, error) {
	c := config{maxAttempts: MaxAttempts}
	for _, o := range opts {
		o(&c)
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("pgstore: %w", err)
	}
	for name, value := range plannerSettings() {
		if _, set := cfg.ConnConfig.RuntimeParams[name]; !set {
			cfg.ConnConfig.RuntimeParams[name] = value
		}
	}
	for _, f := range c.pool {
		f(cfg)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pgstore: %w", err)
	}
	if err := checkSchema(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	return &DB{pool: pool, maxAttempts: c.maxAttempts, noReadCache: c.noReadCache}, nil
}

// Pool is the DB's connection pool, for tools and benchmarks that go
// around the contract (COPY, statistics).
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Close closes the pool, after waiting for the transactions in progress.
func (db *DB) Close() error {
	if db.closed.Swap(true) {
		return storage.ErrClosed
	}
	db.pool.Close()
	return nil
}

// View runs fn in a read-only snapshot.
func (db *DB) View(ctx context.Context, fn func(storage.Tx) error) error {
	_, err := db.run(ctx, fn, false, nil)
	return err
}

// Update runs fn in a serializable transaction, again after a conflict.
//
// An attempt that asked for a bucket's sequence numbers is run again with
// that bucket's lock taken before it begins (see NextSequence).
func (db *DB) Update(ctx context.Context, fn func(storage.Tx) error) error {
	var lock []string
	for attempt := 1; ; attempt++ {
		took, err := db.run(ctx, fn, true, lock)
		if !retryable(err) {
			return err
		}
		for _, name := range took {
			if !slices.Contains(lock, name) {
				lock = append(lock, name)
			}
		}
		slices.Sort(lock) // one order for every taker: no deadlock
		if attempt >= db.maxAttempts {
			return fmt.Errorf("%w (%d attempts; the last: %w)", storage.ErrConflict, attempt, err)
		}
		if errors.Is(err, errSequenceBusy) {
			continue // no backoff: the next attempt waits for the lock
		}
		if err := backoff(ctx, attempt); err != nil {
			return err
		}
	}
}

// run runs fn in one transaction, after taking the locks on the numbers
// of the buckets in lock, and commits it (or, read-only, ends it). It
// returns the buckets whose numbers fn asked for.
func (db *DB) run(ctx context.Context, fn func(storage.Tx) error, write bool, lock []string) ([]string, error) {
	if db.closed.Load() {
		return nil, storage.ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("pgstore: %w", err)
	}
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, db.mapErr(ctx, err)
	}
	t := &txn{db: db, ctx: ctx, conn: conn, write: write}
	defer t.release()
	if err := t.lock(lock); err != nil {
		return nil, err
	}
	ferr := fn(t)
	switch {
	case t.err != nil && (ferr == nil || retryable(t.err)):
		// A statement failed (the transaction is aborted), or a
		// sequence was busy: that decides, whatever fn made of it.
		return t.took, t.err
	case ferr != nil:
		return t.took, ferr
	}
	return t.took, t.commit()
}

// backoff waits before attempt+1, or until ctx ends.
func backoff(ctx context.Context, attempt int) error {
	limit := min(backoffCap, backoffBase<<min(attempt-1, 16))
	timer := time.NewTimer(rand.N(limit) + time.Microsecond)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("pgstore: %w", ctx.Err())
	}
}

// retryable reports a serialization failure, a deadlock or a busy
// sequence: the transaction was rolled back and may succeed if run again.
func retryable(err error) bool {
	if errors.Is(err, errSequenceBusy) {
		return true
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	return pgErr.Code == "40001" || pgErr.Code == "40P01"
}

// mapErr gives err the meaning the contract gives it: the context's error
// when ctx has ended (pgx reports it as a broken connection or a timeout),
// ErrClosed once the DB is closed.
func (db *DB) mapErr(ctx context.Context, err error) error {
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil && !errors.Is(err, ctx.Err()):
		return fmt.Errorf("pgstore: %w (%v)", ctx.Err(), err)
	case db.closed.Load():
		return fmt.Errorf("%w (%v)", storage.ErrClosed, err)
	}
	return fmt.Errorf("pgstore: %w", err)
}
