// Package storagetest checks a storage backend against the contract in
// package storage: each backend's tests call Run with a way to open a new,
// empty database of theirs, so both backends pass the same checks.
package storagetest

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/hub/storage"
)

// Open opens a new, empty database for one test. Run closes it (a second
// Close of the backend must be harmless if the opener closes it too).
type Open func(t *testing.T) storage.DB

// Run runs every contract check as a subtest.
func Run(t *testing.T, open Open) {
	checks := []struct {
		name string
		fn   func(*testing.T, storage.DB)
	}{
		{"UnwrittenBucketReadsEmpty", unwrittenBucketReadsEmpty},
		{"PutGetDelete", putGetDelete},
		{"ReadYourWrites", readYourWrites},
		{"ErrorRollsBack", errorRollsBack},
		{"ViewIsReadOnly", viewIsReadOnly},
		{"ScanOrderAndRange", scanOrderAndRange},
		{"ScanStop", scanStop},
		{"Last", last},
		{"NextSequence", nextSequence},
		{"SequencesFollowCommits", sequencesFollowCommits},
		{"UpdatesAreSerializable", updatesAreSerializable},
		{"Context", txContext},
		{"Closed", closed},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			db := open(t)
			t.Cleanup(func() { _ = db.Close() })
			c.fn(t, db)
		})
	}
}

func update(t *testing.T, db storage.DB, fn func(storage.Tx) error) {
	t.Helper()
	require.NoError(t, db.Update(t.Context(), fn))
}

func view(t *testing.T, db storage.DB, fn func(storage.Tx) error) {
	t.Helper()
	require.NoError(t, db.View(t.Context(), fn))
}

// keys lists a bucket's keys (and values) in [from, to), in scan order.
func keys(t *testing.T, db storage.DB, bucket string, from, to []byte) (ks, vs []string) {
	t.Helper()
	view(t, db, func(tx storage.Tx) error {
		return tx.Bucket(bucket).Scan(from, to, func(k, v []byte) error {
			ks, vs = append(ks, string(k)), append(vs, string(v))
			return nil
		})
	})
	return ks, vs
}

func unwrittenBucketReadsEmpty(t *testing.T, db storage.DB) {
	view(t, db, func(tx storage.Tx) error {
		b := tx.Bucket("never")
		v, err := b.Get([]byte("k"))
		require.NoError(t, err)
		assert.Nil(t, v)
		k, v, err := b.Last(nil)
		require.NoError(t, err)
		assert.Nil(t, k)
		assert.Nil(t, v)
		return b.Scan(nil, nil, func(k, _ []byte) error {
			t.Errorf("key %q in a bucket never written", k)
			return nil
		})
	})
	update(t, db, func(tx storage.Tx) error { // reading it in a write creates nothing either
		v, err := tx.Bucket("never").Get([]byte("k"))
		assert.Nil(t, v)
		return err
	})
}

func putGetDelete(t *testing.T, db storage.DB) {
	update(t, db, func(tx storage.Tx) error {
		b := tx.Bucket("b")
		require.NoError(t, b.Put([]byte("a"), []byte("1")))
		require.NoError(t, b.Put([]byte("empty"), []byte{}))
		require.NoError(t, b.Put([]byte("gone"), []byte("x")))
		require.NoError(t, b.Put([]byte("a"), []byte("2")), "a second Put replaces")
		return tx.Bucket("other").Put([]byte("a"), []byte("other"))
	})
	update(t, db, func(tx storage.Tx) error {
		b := tx.Bucket("b")
		require.NoError(t, b.Delete([]byte("gone")))
		return b.Delete([]byte("never there"))
	})
	view(t, db, func(tx storage.Tx) error {
		b := tx.Bucket("b")
		v, err := b.Get([]byte("a"))
		require.NoError(t, err)
		assert.Equal(t, "2", string(v))
		v, err = b.Get([]byte("empty"))
		require.NoError(t, err)
		assert.NotNil(t, v, "a stored empty value is not nil")
		assert.Empty(t, v)
		v, err = b.Get([]byte("gone"))
		require.NoError(t, err)
		assert.Nil(t, v)
		v, err = tx.Bucket("other").Get([]byte("a"))
		require.NoError(t, err)
		assert.Equal(t, "other", string(v), "buckets are apart")
		return nil
	})
}

func readYourWrites(t *testing.T, db storage.DB) {
	update(t, db, func(tx storage.Tx) error {
		b := tx.Bucket("b")
		require.NoError(t, b.Put([]byte("k1"), []byte("v1")))
		require.NoError(t, b.Put([]byte("k2"), []byte("v2")))
		require.NoError(t, b.Delete([]byte("k2")))
		v, err := b.Get([]byte("k1"))
		require.NoError(t, err)
		assert.Equal(t, "v1", string(v))
		var seen []string
		require.NoError(t, tx.Bucket("b").Scan(nil, nil, func(k, _ []byte) error {
			seen = append(seen, string(k))
			return nil
		}))
		assert.Equal(t, []string{"k1"}, seen)
		return nil
	})
}

var errOwn = errors.New("fn's own error")

func errorRollsBack(t *testing.T, db storage.DB) {
	err := db.Update(t.Context(), func(tx storage.Tx) error {
		if err := tx.Bucket("b").Put([]byte("k"), []byte("v")); err != nil {
			return err
		}
		if _, err := tx.Bucket("b").NextSequence(); err != nil {
			return err
		}
		return fmt.Errorf("wrapped: %w", errOwn)
	})
	require.ErrorIs(t, err, errOwn, "fn's error comes back")
	ks, _ := keys(t, db, "b", nil, nil)
	assert.Empty(t, ks, "nothing of a rolled-back Update is kept")
}

func viewIsReadOnly(t *testing.T, db storage.DB) {
	update(t, db, func(tx storage.Tx) error { return tx.Bucket("b").Put([]byte("k"), []byte("v")) })
	view(t, db, func(tx storage.Tx) error {
		for _, b := range []storage.Bucket{tx.Bucket("b"), tx.Bucket("never")} {
			assert.ErrorIs(t, b.Put([]byte("k"), []byte("w")), storage.ErrReadOnly)
			assert.ErrorIs(t, b.Delete([]byte("k")), storage.ErrReadOnly)
			_, err := b.NextSequence()
			assert.ErrorIs(t, err, storage.ErrReadOnly)
		}
		return nil
	})
}

// sample keys, bytewise: "" < "\x00" < "a" < "a\x00" < "a\x00b" < "ab" < "b" < "\xff".
var sample = []string{"\x00", "a", "a\x00", "a\x00b", "ab", "b", "\xff", "\xff\xff"}

func putSample(t *testing.T, db storage.DB) {
	update(t, db, func(tx storage.Tx) error {
		for i := len(sample) - 1; i >= 0; i-- { // written out of order
			if err := tx.Bucket("s").Put([]byte(sample[i]), []byte(fmt.Sprint(i))); err != nil {
				return err
			}
		}
		return nil
	})
}

func scanOrderAndRange(t *testing.T, db storage.DB) {
	putSample(t, db)
	all, vals := keys(t, db, "s", nil, nil)
	assert.Equal(t, sample, all, "bytewise order")
	assert.Equal(t, []string{"0", "1", "2", "3", "4", "5", "6", "7"}, vals)
	got, _ := keys(t, db, "s", []byte("a"), []byte("b"))
	assert.Equal(t, []string{"a", "a\x00", "a\x00b", "ab"}, got, "[from, to)")
	got, _ = keys(t, db, "s", []byte("a\x00"), nil)
	assert.Equal(t, sample[2:], got, "to nil: to the end")
	got, _ = keys(t, db, "s", nil, []byte("a"))
	assert.Equal(t, []string{"\x00"}, got, "from nil: from the start")
	got, _ = keys(t, db, "s", []byte("a\x00"), storage.PrefixEnd([]byte("a\x00")))
	assert.Equal(t, []string{"a\x00", "a\x00b"}, got, "a prefix")
	got, _ = keys(t, db, "s", []byte("\xff"), storage.PrefixEnd([]byte("\xff")))
	assert.Equal(t, []string{"\xff", "\xff\xff"}, got, "an all-0xff prefix runs to the end")
	got, _ = keys(t, db, "s", []byte("c"), []byte("d"))
	assert.Empty(t, got)
}

func scanStop(t *testing.T, db storage.DB) {
	putSample(t, db)
	view(t, db, func(tx storage.Tx) error {
		var seen []string
		err := tx.Bucket("s").Scan(nil, nil, func(k, _ []byte) error {
			seen = append(seen, string(k))
			if len(seen) == 2 {
				return storage.ErrStop
			}
			return nil
		})
		require.NoError(t, err, "ErrStop ends the scan without an error")
		assert.Equal(t, sample[:2], seen)
		err = tx.Bucket("s").Scan(nil, nil, func([]byte, []byte) error { return errOwn })
		assert.ErrorIs(t, err, errOwn, "fn's error comes back")
		return nil
	})
}

func last(t *testing.T, db storage.DB) {
	putSample(t, db)
	view(t, db, func(tx storage.Tx) error {
		b := tx.Bucket("s")
		for _, c := range []struct{ before, want string }{
			{"", "\xff\xff"}, // nil: the greatest
			{"a\x00", "a"},   // a key: the one below it
			{"aa", "a\x00b"}, // between keys
			{"zz", "b"},      // above all but the 0xff ones
			{"\xff\xff\xff", "\xff\xff"},
		} {
			var before []byte
			if c.before != "" {
				before = []byte(c.before)
			}
			k, v, err := b.Last(before)
			require.NoError(t, err)
			assert.Equal(t, c.want, string(k), "Last(%q)", c.before)
			assert.NotNil(t, v)
		}
		k, _, err := b.Last([]byte("\x00"))
		require.NoError(t, err)
		assert.Nil(t, k, "nothing below the least key")
		return nil
	})
}

func nextSequence(t *testing.T, db storage.DB) {
	var got []uint64
	for range 2 {
		update(t, db, func(tx storage.Tx) error {
			for _, name := range []string{"a", "a", "b"} {
				n, err := tx.Bucket(name).NextSequence()
				if err != nil {
					return err
				}
				got = append(got, n)
			}
			return nil
		})
	}
	assert.Equal(t, []uint64{1, 2, 1, 3, 4, 2}, got, "from 1, per bucket, kept across transactions")
}

// sequencesFollowCommits: while writers take numbers and write a key under
// each, every reader sees a prefix of them with no gap (rolled back
// transactions aside, and there are none here): a number seen means every
// number below it was committed before.
func sequencesFollowCommits(t *testing.T, db storage.DB) {
	const writers, each = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for range writers {
		wg.Go(func() {
			for range each {
				err := db.Update(t.Context(), func(tx storage.Tx) error {
					b := tx.Bucket("log")
					n, err := b.NextSequence()
					if err != nil {
						return err
					}
					return b.Put(binary.BigEndian.AppendUint64(nil, n), []byte{1})
				})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	seen := uint64(0)
	for finished := false; !finished; {
		select {
		case <-done:
			finished = true
		default:
		}
		var max uint64
		view(t, db, func(tx storage.Tx) error {
			i := uint64(0)
			return tx.Bucket("log").Scan(nil, nil, func(k, _ []byte) error {
				i++
				if n := binary.BigEndian.Uint64(k); n != i {
					return fmt.Errorf("number %d seen without %d", n, i)
				}
				max = i
				return nil
			})
		})
		require.GreaterOrEqual(t, max, seen, "a reader never sees fewer than before")
		seen = max
	}
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, uint64(writers*each), seen)
}

// updatesAreSerializable: concurrent read-modify-write Updates of one
// counter lose no increment (a backend may run fn again on a conflict).
func updatesAreSerializable(t *testing.T, db storage.DB) {
	const writers, each = 4, 25
	key := []byte("n")
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for range writers {
		wg.Go(func() {
			for range each {
				err := db.Update(t.Context(), func(tx storage.Tx) error {
					b := tx.Bucket("counter")
					raw, err := b.Get(key)
					if err != nil {
						return err
					}
					var n uint64
					if len(raw) == 8 {
						n = binary.BigEndian.Uint64(raw)
					}
					return b.Put(key, binary.BigEndian.AppendUint64(nil, n+1))
				})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	view(t, db, func(tx storage.Tx) error {
		raw, err := tx.Bucket("counter").Get(key)
		require.NoError(t, err)
		assert.Equal(t, uint64(writers*each), binary.BigEndian.Uint64(raw))
		return nil
	})
}

type ctxKey struct{}

func txContext(t *testing.T, db storage.DB) {
	ctx := context.WithValue(t.Context(), ctxKey{}, "mine")
	require.NoError(t, db.View(ctx, func(tx storage.Tx) error {
		assert.Equal(t, "mine", tx.Context().Value(ctxKey{}))
		return nil
	}))
	require.NoError(t, db.Update(ctx, func(tx storage.Tx) error {
		assert.Equal(t, "mine", tx.Context().Value(ctxKey{}))
		return nil
	}))
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	err := db.Update(cancelled, func(tx storage.Tx) error {
		return tx.Bucket("b").Put([]byte("k"), []byte("v"))
	})
	require.ErrorIs(t, err, context.Canceled, "an Update whose context has ended")
	err = db.View(cancelled, func(storage.Tx) error { return nil })
	require.ErrorIs(t, err, context.Canceled, "a View whose context has ended")
	ks, _ := keys(t, db, "b", nil, nil)
	assert.Empty(t, ks, "nothing written under an ended context")
}

func closed(t *testing.T, db storage.DB) {
	update(t, db, func(tx storage.Tx) error { return tx.Bucket("b").Put([]byte("k"), []byte("v")) })
	require.NoError(t, db.Close())
	assert.ErrorIs(t, db.View(t.Context(), func(storage.Tx) error { return nil }), storage.ErrClosed)
	assert.ErrorIs(t, db.Update(t.Context(), func(storage.Tx) error { return nil }), storage.ErrClosed)
}
