package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/rfterm/rfterm/hub/storage"
)

// The statements. Keys are never empty, so ” is below every key and
// "key > ”" bounds nothing: one text serves with and without a bound.
const (
	sqlBeginWrite = "BEGIN ISOLATION LEVEL SERIALIZABLE"
	sqlBeginRead  = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"
	sqlGet        = "SELECT value FROM hub_kv WHERE bucket = $1 AND key = $2"
	sqlGetMany    = "SELECT key, value FROM hub_kv WHERE bucket = $1 AND key = ANY($2::bytea[])"
	sqlTake       = "SELECT hub_kv_take($1, $2)"
	sqlSetval     = "SELECT hub_kv_setval($1, $2)"
	sqlSeqLock    = "SELECT pg_advisory_lock(hub_kv_seq_lock($1))"
	sqlSeqUnlock  = "SELECT pg_advisory_unlock_all()"
	sqlScan       = "SELECT key, value FROM hub_kv WHERE bucket = $1 AND key >= $2 ORDER BY key LIMIT $3"
	sqlScanTo     = "SELECT key, value FROM hub_kv WHERE bucket = $1 AND key >= $2 AND key < $4 ORDER BY key LIMIT $3"
	sqlLast       = "SELECT key, value FROM hub_kv WHERE bucket = $1 AND key > $2 ORDER BY key DESC LIMIT $3"
	sqlLastBefore = "SELECT key, value FROM hub_kv WHERE bucket = $1 AND key > $2 AND key < $4 ORDER BY key DESC LIMIT $3"
	sqlUpsert     = `INSERT INTO hub_kv (bucket, key, value)
		SELECT * FROM unnest($1::text[], $2::bytea[], $3::bytea[])
		ON CONFLICT (bucket, key) DO UPDATE SET value = EXCLUDED.value`
	sqlDelete = `DELETE FROM hub_kv AS d USING unnest($1::text[], $2::bytea[]) AS x (bucket, key)
		WHERE d.bucket = x.bucket AND d.key = x.key`
)

// rollbackTimeout bounds the ROLLBACK that returns a connection to the
// pool after a failed transaction (its own context may have ended).
const rollbackTimeout = 5 * time.Second

// errTxDone is a call on a transaction after its fn returned.
var errTxDone = errors.New("pgstore: transaction has ended")

// errSequenceBusy is NextSequence finding another transaction holding the
// bucket's numbers. The transaction is run again, taking the bucket's lock
// before it begins (see DB.Update).
var errSequenceBusy = errors.New("pgstore: another transaction holds the bucket's sequence")

// errEmptyKey is a Put of an empty key.
var errEmptyKey = errors.New("pgstore: empty key")

// txn is one attempt at a transaction, on one connection. It is not safe
// for concurrent use (nor is a bbolt transaction).
type txn struct {
	db     *DB
	ctx    context.Context
	conn   *pgxpool.Conn
	write  bool
	begun  bool  // BEGIN has been sent
	done   bool  // committed or released
	err    error // the first statement that failed: the transaction is aborted
	writes overlay
	reads  readCache // what Get and GetMany read, for later Gets

	locked map[string]bool      // buckets whose numbers' lock the session took before BEGIN
	seqs   map[string]*sequence // numbers taken, by bucket
	took   []string             // buckets whose numbers fn asked for, in order
}

// sequence is the numbers a transaction took from one bucket: the first
// from the database, the rest handed out here while it holds the lock.
type sequence struct{ first, last int64 }

// lock takes the locks on buckets' numbers for the session, in order,
// before the transaction begins: its snapshot then follows the commit of
// the transaction that held them, so the two do not conflict.
func (t *txn) lock(buckets []string) error {
	if len(buckets) == 0 {
		return nil
	}
	var b pgx.Batch
	for _, name := range buckets {
		b.Queue(sqlSeqLock, name)
	}
	if err := t.conn.SendBatch(t.ctx, &b).Close(); err != nil {
		t.conn.Conn().Close(context.WithoutCancel(t.ctx)) // locks may be held: never pool it
		return t.db.mapErr(t.ctx, err)
	}
	t.locked = map[string]bool{}
	for _, name := range buckets {
		t.locked[name] = true
	}
	return nil
}

// Bucket returns the named bucket.
func (t *txn) Bucket(name string) storage.Bucket { return &bucket{t: t, name: name} }

// Context is the transaction's context.
func (t *txn) Context() context.Context { return t.ctx }

// usable is nil when statements may still be sent.
func (t *txn) usable() error {
	if t.done {
		return errTxDone
	}
	return t.err
}

// send sends the statements queue adds, after BEGIN if this is the
// transaction's first round trip, and hands their results to read (BEGIN's
// already consumed). A failure aborts the transaction: it is kept in t.err
// and returned by every later call.
func (t *txn) send(queue func(*pgx.Batch), read func(pgx.BatchResults) error) error {
	if err := t.usable(); err != nil {
		return err
	}
	var b pgx.Batch
	begin := !t.begun
	if begin {
		if t.write {
			b.Queue(sqlBeginWrite)
		} else {
			b.Queue(sqlBeginRead)
		}
	}
	queue(&b)
	br := t.conn.SendBatch(t.ctx, &b)
	err := func() error {
		if begin {
			if _, err := br.Exec(); err != nil {
				return err
			}
			t.begun = true
		}
		return read(br)
	}()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.err = t.db.mapErr(t.ctx, err)
		return t.err
	}
	return nil
}

// commit sends the buffered writes and COMMIT in one round trip (a View
// just ends its snapshot).
func (t *txn) commit() error {
	if err := t.usable(); err != nil {
		return err
	}
	puts, dels := t.writes.flatten()
	var setvals [][2]any
	for _, name := range t.took {
		if s := t.seqs[name]; s != nil && s.last > s.first {
			setvals = append(setvals, [2]any{name, s.last})
		}
	}
	if !t.begun && len(puts.keys)+len(dels.keys) == 0 {
		t.done = true
		return nil // nothing was sent: nothing to end
	}
	var tag string
	err := t.send(func(b *pgx.Batch) {
		if len(puts.keys) > 0 {
			b.Queue(sqlUpsert, puts.buckets, puts.keys, puts.values)
		}
		if len(dels.keys) > 0 {
			b.Queue(sqlDelete, dels.buckets, dels.keys)
		}
		for _, sv := range setvals { // before COMMIT ends the lock
			b.Queue(sqlSetval, sv[0], sv[1])
		}
		b.Queue("COMMIT")
	}, func(br pgx.BatchResults) error {
		for range b2i(len(puts.keys) > 0) + b2i(len(dels.keys) > 0) + len(setvals) {
			if _, err := br.Exec(); err != nil {
				return err
			}
		}
		ct, err := br.Exec()
		tag = ct.String()
		return err
	})
	if err != nil {
		return err
	}
	t.done = true
	if tag != "COMMIT" {
		// COMMIT of a transaction the server had aborted answers ROLLBACK.
		return fmt.Errorf("pgstore: transaction rolled back by the server (%s)", tag)
	}
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// release rolls back whatever is left open, gives up the session's locks
// and returns the connection to the pool (closing it if that failed).
func (t *txn) release() {
	t.done = true
	pg := t.conn.Conn().PgConn()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(t.ctx), rollbackTimeout)
	defer cancel()
	if !pg.IsClosed() && pg.TxStatus() != 'I' {
		t.conn.Exec(ctx, "ROLLBACK")
	}
	if len(t.locked) > 0 && !pg.IsClosed() {
		if _, err := t.conn.Exec(ctx, sqlSeqUnlock); err != nil {
			t.conn.Conn().Close(ctx)
		}
	}
	t.conn.Release()
}

// bucket is a bucket within a transaction.
type bucket struct {
	t    *txn
	name string
}

// Get returns key's value, as written in this transaction or committed.
func (b *bucket) Get(key []byte) ([]byte, error) {
	if w := b.t.writes.get(b.name, key); w != nil {
		if w.deleted {
			return nil, b.t.usable()
		}
		return w.value, b.t.usable()
	}
	if v, ok := b.t.reads.get(b.name, key); ok {
		return v, b.t.usable()
	}
	var v []byte
	found := false
	err := b.t.send(func(q *pgx.Batch) { q.Queue(sqlGet, b.name, key) }, func(br pgx.BatchResults) error {
		err := br.QueryRow().Scan(&v)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		found = err == nil
		return err
	})
	if err != nil {
		return nil, err
	}
	if found && v == nil {
		v = []byte{}
	}
	if !found {
		v = nil
	}
	b.t.keep(b.name, key, v)
	return v, nil
}

// writable is nil when the transaction may write.
func (b *bucket) writable() error {
	if !b.t.write {
		return storage.ErrReadOnly
	}
	return b.t.usable()
}

// Put buffers key=value until commit.
func (b *bucket) Put(key, value []byte) error {
	if err := b.writable(); err != nil {
		return err
	}
	switch {
	case len(key) == 0:
		return errEmptyKey
	case len(key) > MaxKeySize:
		return fmt.Errorf("pgstore: key of %d bytes, longer than %d", len(key), MaxKeySize)
	}
	b.t.writes.put(b.name, key, value)
	return nil
}

// Delete buffers the removal of key until commit.
func (b *bucket) Delete(key []byte) error {
	if err := b.writable(); err != nil {
		return err
	}
	if len(key) > 0 {
		b.t.writes.delete(b.name, key)
	}
	return nil
}

// NextSequence takes the bucket's next number. The first in a transaction
// takes the bucket's lock (see migrations/00001_kv.sql) and a number from
// the database; the lock is held until the transaction ends, so the rest
// are counted here and recorded at commit. When another transaction holds
// the lock, this one fails at once, to run again taking the lock before it
// begins (a snapshot taken before waiting for the lock would make it
// conflict with the holder's writes).
func (b *bucket) NextSequence() (uint64, error) {
	t := b.t
	if err := b.writable(); err != nil {
		return 0, err
	}
	if s := t.seqs[b.name]; s != nil {
		s.last++
		return uint64(s.last), nil
	}
	t.took = append(t.took, b.name)
	var n *int64
	err := t.send(func(q *pgx.Batch) { q.Queue(sqlTake, b.name, t.locked[b.name]) }, func(br pgx.BatchResults) error {
		return br.QueryRow().Scan(&n)
	})
	if err != nil {
		return 0, err
	}
	if n == nil {
		t.err = errSequenceBusy
		return 0, t.err
	}
	if t.seqs == nil {
		t.seqs = map[string]*sequence{}
	}
	t.seqs[b.name] = &sequence{first: *n, last: *n}
	return uint64(*n), nil
}
