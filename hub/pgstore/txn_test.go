package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/hub/pgstore"
	"github.com/rfterm/rfterm/hub/storage"
)

// lostUpdate runs two Updates that read x, the first writing only after
// the second has committed: PostgreSQL fails the first with a
// serialization failure. It returns how many times the first's fn ran,
// and its error.
func lostUpdate(t *testing.T, db *pgstore.DB) (int, error) {
	t.Helper()
	require.NoError(t, db.Update(t.Context(), func(tx storage.Tx) error {
		return tx.Bucket("b").Put([]byte("x"), []byte("0"))
	}))
	read, second := make(chan struct{}), make(chan struct{})
	var once sync.Once
	runs := 0
	first := make(chan error, 1)
	go func() {
		first <- db.Update(t.Context(), func(tx storage.Tx) error {
			runs++
			if _, err := tx.Bucket("b").Get([]byte("x")); err != nil {
				return err
			}
			once.Do(func() { close(read) })
			select {
			case <-second:
			case <-time.After(30 * time.Second):
				return errors.New("the second Update never committed")
			}
			return tx.Bucket("b").Put([]byte("x"), []byte("first"))
		})
	}()
	<-read
	require.NoError(t, db.Update(t.Context(), func(tx storage.Tx) error {
		if _, err := tx.Bucket("b").Get([]byte("x")); err != nil {
			return err
		}
		return tx.Bucket("b").Put([]byte("x"), []byte("second"))
	}))
	close(second)
	err := <-first
	return runs, err
}

// A conflict runs fn again; past the attempts allowed it is ErrConflict,
// carrying PostgreSQL's serialization failure, and nothing was written.
func TestConflicts(t *testing.T) {
	dsn := migrated(t)
	t.Run("retried", func(t *testing.T) {
		db := open(t, dsn)
		runs, err := lostUpdate(t, db)
		require.NoError(t, err)
		require.Equal(t, 2, runs, "fn ran again after the serialization failure")
		v := get(t, db, "x")
		require.Equal(t, "first", v)
	})
	t.Run("exhausted", func(t *testing.T) {
		db := open(t, dsn, pgstore.WithMaxAttempts(1))
		runs, err := lostUpdate(t, db)
		require.ErrorIs(t, err, storage.ErrConflict)
		var pgErr *pgconn.PgError
		require.ErrorAs(t, err, &pgErr)
		require.Equal(t, "40001", pgErr.Code)
		require.Equal(t, 1, runs)
		require.Equal(t, "second", get(t, db, "x"))
	})
}

func get(t *testing.T, db storage.DB, key string) string {
	t.Helper()
	var v []byte
	require.NoError(t, db.View(t.Context(), func(tx storage.Tx) error {
		got, err := tx.Bucket("b").Get([]byte(key))
		v = append(v, got...)
		return err
	}))
	return string(v)
}

// batches counts the round trips pgstore makes (each is one batch).
type batches struct{ n atomic.Int64 }

func (c *batches) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.n.Add(1)
	return ctx
}
func (c *batches) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (c *batches) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}
func (c *batches) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}
func (c *batches) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// The round trips the package comment promises: BEGIN rides with the first
// statement, the writes and COMMIT go together, Scan reads in pages.
func TestRoundTrips(t *testing.T) {
	tr := &batches{}
	db := open(t, migrated(t), pgstore.WithPoolConfig(func(c *pgxpool.Config) { c.ConnConfig.Tracer = tr }))
	count := func(what string, want int64, run func(context.Context, func(storage.Tx) error) error, fn func(storage.Tx) error) {
		t.Helper()
		before := tr.n.Load()
		require.NoError(t, run(t.Context(), fn))
		require.Equal(t, want, tr.n.Load()-before, what)
	}
	put := func(b storage.Bucket, n int) error {
		for i := range n {
			if err := b.Put([]byte(fmt.Sprintf("k%05d", i)), []byte("v")); err != nil {
				return err
			}
		}
		return nil
	}
	count("an empty Update", 0, db.Update, func(tx storage.Tx) error { return nil })
	count("an empty View", 0, db.View, func(tx storage.Tx) error { return nil })
	count("writes only", 1, db.Update, func(tx storage.Tx) error {
		if err := put(tx.Bucket("b"), 3000); err != nil {
			return err
		}
		return tx.Bucket("c").Delete([]byte("k"))
	})
	count("two reads, then writes", 3, db.Update, func(tx storage.Tx) error {
		for _, k := range []string{"k00001", "k00002"} {
			if _, err := tx.Bucket("b").Get([]byte(k)); err != nil {
				return err
			}
		}
		return put(tx.Bucket("c"), 2)
	})
	count("a sequence number and a write", 2, db.Update, func(tx storage.Tx) error {
		n, err := tx.Bucket("feed").NextSequence()
		if err != nil {
			return err
		}
		return tx.Bucket("feed").Put([]byte(fmt.Sprint(n)), []byte("e"))
	})
	count("a key read again, and keys GetMany read", 3, db.View, func(tx storage.Tx) error {
		b := tx.Bucket("b")
		for range 3 {
			if _, err := b.Get([]byte("k00001")); err != nil { // absent: kept absent too
				return err
			}
		}
		keys := [][]byte{[]byte("k00001"), []byte("k00002"), []byte("nope")}
		if err := storage.Prefetch(b, keys); err != nil {
			return err
		}
		for _, k := range keys {
			if _, err := b.Get(k); err != nil {
				return err
			}
		}
		return storage.Prefetch(b, keys) // all read already: no round trip
	})
	count("a read in a View", 2, db.View, func(tx storage.Tx) error {
		_, err := tx.Bucket("b").Get([]byte("k00001"))
		return err
	})
	// 3000 keys: pages of 64, 256, 1024, 1024, 1024 (short: the end).
	count("a scan of 3000 keys", 6, db.View, func(tx storage.Tx) error {
		return tx.Bucket("b").Scan(nil, nil, func(k, v []byte) error { return nil })
	})
	count("a scan that stops at once", 2, db.View, func(tx storage.Tx) error {
		return tx.Bucket("b").Scan(nil, nil, func(k, v []byte) error { return storage.ErrStop })
	})
}

// A scan across page boundaries merges the transaction's writes in: new
// keys and deletions right at the boundaries, and keys fn itself puts
// ahead of the scan (visited) or deletes ahead of it (skipped).
func TestScanMergesWritesAcrossPages(t *testing.T) {
	db := open(t, migrated(t))
	key := func(i int) string { return fmt.Sprintf("k%05d", i) }
	model := map[string]string{}
	require.NoError(t, db.Update(t.Context(), func(tx storage.Tx) error {
		for i := 0; i < 6000; i += 2 {
			model[key(i)] = "old"
			if err := tx.Bucket("b").Put([]byte(key(i)), []byte("old")); err != nil {
				return err
			}
		}
		return nil
	}))
	require.NoError(t, db.Update(t.Context(), func(tx storage.Tx) error {
		b := tx.Bucket("b")
		for _, page := range []int{64, 64 + 256, 64 + 256 + 1024, 64 + 256 + 2048} {
			for _, d := range []int{-2, -1, 0, 1} { // the committed keys at and around the boundary
				i := 2 * (page + d)
				if err := b.Delete([]byte(key(i))); err != nil {
					return err
				}
				delete(model, key(i))
				if err := b.Put([]byte(key(i+1)), []byte("new")); err != nil {
					return err
				}
				model[key(i+1)] = "new"
			}
		}
		var want []string
		for k := range model {
			want = append(want, k+"="+model[k])
		}
		sort.Strings(want)
		var got []string
		err := b.Scan(nil, nil, func(k, v []byte) error {
			got = append(got, string(k)+"="+string(v))
			return nil
		})
		require.Equal(t, want, got)
		if err != nil {
			return err
		}
		// Writes made during a scan, ahead of it.
		got = got[:0]
		err = b.Scan([]byte(key(1000)), []byte(key(1010)), func(k, v []byte) error {
			got = append(got, string(k))
			if string(k) == key(1000) {
				return errors.Join(b.Put([]byte(key(1003)), []byte("ahead")), b.Delete([]byte(key(1006))))
			}
			return nil
		})
		require.Equal(t, []string{key(1000), key(1002), key(1003), key(1004), key(1008)}, got)
		return err
	}))
}

// GetMany reads as Get would, key by key, in one round trip: the
// transaction's own writes and deletions, missing keys, repeated keys and
// empty values.
func TestGetMany(t *testing.T) {
	tr := &batches{}
	db := open(t, migrated(t), pgstore.WithPoolConfig(func(c *pgxpool.Config) { c.ConnConfig.Tracer = tr }))
	require.NoError(t, db.Update(t.Context(), func(tx storage.Tx) error {
		b := tx.Bucket("b")
		return errors.Join(b.Put([]byte("a"), []byte("1")), b.Put([]byte("b"), []byte("2")),
			b.Put([]byte("empty"), nil), tx.Bucket("other").Put([]byte("c"), []byte("x")))
	}))
	type getMany interface {
		GetMany(keys [][]byte) ([][]byte, error)
	}
	require.NoError(t, db.Update(t.Context(), func(tx storage.Tx) error {
		b := tx.Bucket("b")
		if err := errors.Join(b.Delete([]byte("b")), b.Put([]byte("new"), []byte("n"))); err != nil {
			return err
		}
		keys := [][]byte{[]byte("a"), []byte("b"), []byte("c"), []byte("new"), []byte("empty"), []byte("a"), []byte("missing")}
		before := tr.n.Load()
		got, err := b.(getMany).GetMany(keys)
		require.NoError(t, err)
		require.Equal(t, int64(1), tr.n.Load()-before, "one round trip")
		require.Equal(t, [][]byte{[]byte("1"), nil, nil, []byte("n"), {}, []byte("1"), nil}, got)
		for i, k := range keys {
			v, err := b.Get(k)
			require.NoError(t, err)
			require.Equal(t, v, got[i], "GetMany agrees with Get at %q", k)
		}
		return nil
	}))
}
