package storagetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/hub/storage"
)

// wait waits for ch inside a transaction's fn, returning an error (not
// failing the test: fn may run on another goroutine) after waitLimit.
func wait(ch <-chan struct{}, what string) error {
	timer := time.NewTimer(waitLimit)
	defer timer.Stop()
	select {
	case <-ch:
		return nil
	case <-timer.C:
		return errors.New("storagetest: waited too long for " + what)
	}
}

// A View sees the state as of its start: a commit made while it runs
// changes nothing it reads, by Get, Scan or Last.
func testViewIsASnapshot(t *testing.T, db storage.DB) {
	// A large value written and deleted first leaves free space, so the
	// concurrent commit below need not grow the store (bbolt cannot remap
	// its file while a reader is open).
	put(t, db, "big", "k", string(make([]byte, 4<<20)))
	update(t, db, func(tx storage.Tx) error { return tx.Bucket("big").Delete([]byte("k")) })
	put(t, db, "snap", "a", "1", "b", "1")
	inView, written := make(chan struct{}), make(chan struct{})
	var once sync.Once
	writer := make(chan error, 1)
	go func() {
		if err := wait(inView, "the View to start"); err != nil {
			writer <- err
			return
		}
		writer <- db.Update(context.Background(), func(tx storage.Tx) error {
			b := tx.Bucket("snap")
			return errors.Join(b.Put([]byte("a"), []byte("2")), b.Delete([]byte("b")), b.Put([]byte("c"), []byte("2")))
		})
		close(written)
	}()
	view(t, db, func(tx storage.Tx) error {
		b := tx.Bucket("snap")
		check := func(when string) {
			v, err := b.Get([]byte("a"))
			assert.NoError(t, err)
			assert.Equal(t, "1", string(v), when)
			got, err := scanAll(b, nil, nil)
			assert.NoError(t, err)
			assert.Equal(t, []pair{{"a", "1"}, {"b", "1"}}, got, when)
			k, _, err := b.Last(nil)
			assert.NoError(t, err)
			assert.Equal(t, "b", string(k), when)
		}
		check("before the commit")
		once.Do(func() { close(inView) })
		if err := wait(written, "the concurrent Update"); err != nil {
			return err
		}
		check("after a concurrent commit")
		return nil
	})
	require.NoError(t, <-writer)
	require.Equal(t, []pair{{"a", "2"}, {"c", "2"}}, scanCommitted(t, db, "snap", nil, nil))
}

// What an Update has written is invisible to others until it commits.
func testUncommittedIsInvisible(t *testing.T, db storage.DB) {
	put(t, db, "u", "k", "old")
	wrote, checked := make(chan struct{}), make(chan struct{})
	var once sync.Once
	writer := make(chan error, 1)
	go func() {
		writer <- db.Update(context.Background(), func(tx storage.Tx) error {
			b := tx.Bucket("u")
			if err := errors.Join(b.Put([]byte("k"), []byte("new")), b.Put([]byte("n"), []byte("1"))); err != nil {
				return err
			}
			once.Do(func() { close(wrote) })
			return wait(checked, "the View")
		})
	}()
	within(t, wrote, "the Update to write")
	require.Equal(t, []pair{{"k", "old"}}, scanCommitted(t, db, "u", nil, nil))
	require.Equal(t, "old", string(get(t, db, "u", "k")))
	close(checked)
	require.NoError(t, <-writer)
	require.Equal(t, []pair{{"k", "new"}, {"n", "1"}}, scanCommitted(t, db, "u", nil, nil))
}

// A context that has ended before the call: Update and View return its
// error and nothing is written.
func testContextEndedBefore(t *testing.T, db storage.DB) {
	canceled, cancel := context.WithCancel(t.Context())
	cancel()
	expired, cancel2 := context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
	defer cancel2()
	for _, c := range []struct {
		ctx  context.Context
		want error
	}{{canceled, context.Canceled}, {expired, context.DeadlineExceeded}} {
		err := db.Update(c.ctx, func(tx storage.Tx) error {
			return tx.Bucket("c").Put([]byte("k"), []byte("v"))
		})
		require.ErrorIs(t, err, c.want)
		err = db.View(c.ctx, func(tx storage.Tx) error {
			_, err := tx.Bucket("c").Get([]byte("k"))
			return err
		})
		require.ErrorIs(t, err, c.want)
	}
	require.Nil(t, get(t, db, "c", "k"))
}

// A context canceled while fn runs: either the Update committed (and says
// so) or it returns the context's error and nothing of it was written.
func testContextCanceledInFn(t *testing.T, db storage.DB) {
	put(t, db, "c", "base", "1")
	for _, readAfter := range []bool{false, true} {
		ctx, cancel := context.WithCancel(t.Context())
		err := db.Update(ctx, func(tx storage.Tx) error {
			b := tx.Bucket("c")
			if err := b.Put([]byte("k"), []byte("v")); err != nil {
				return err
			}
			cancel()
			if readAfter {
				_, err := b.Get([]byte("base"))
				return err
			}
			return nil
		})
		cancel()
		if err != nil {
			require.ErrorIs(t, err, context.Canceled)
			require.Nil(t, get(t, db, "c", "k"), "an Update that failed wrote nothing")
		} else {
			require.Equal(t, "v", string(get(t, db, "c", "k")), "an Update that succeeded committed")
			update(t, db, func(tx storage.Tx) error { return tx.Bucket("c").Delete([]byte("k")) })
		}
	}
}

// An Update that waits (here for another that holds the sequence of the
// same bucket, which no other may take until it commits) returns when its
// context ends, with the context's error, having written nothing.
func testContextEndsWhileWaiting(t *testing.T, db storage.DB) {
	update(t, db, func(tx storage.Tx) error { // the bucket's first number, out of the way
		_, err := tx.Bucket("q").NextSequence()
		return err
	})
	holding, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	holder := make(chan error, 1)
	go func() {
		holder <- db.Update(context.Background(), func(tx storage.Tx) error {
			b := tx.Bucket("q")
			if _, err := b.NextSequence(); err != nil {
				return err
			}
			if err := b.Put([]byte("held"), []byte("1")); err != nil {
				return err
			}
			once.Do(func() { close(holding) })
			return wait(release, "the waiter")
		})
	}()
	within(t, holding, "the holding Update")
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	began := time.Now()
	err := db.Update(ctx, func(tx storage.Tx) error {
		if _, err := tx.Bucket("q").NextSequence(); err != nil {
			return err
		}
		return tx.Bucket("q").Put([]byte("waiter"), []byte("1"))
	})
	elapsed := time.Since(began)
	close(release)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Less(t, elapsed, waitLimit, "the Update returned when its context ended, not when the other committed")
	require.NoError(t, <-holder)
	require.Equal(t, []pair{{"held", "1"}}, scanCommitted(t, db, "q", nil, nil))
}

// After Close, calls return ErrClosed; a second Close does not panic.
func testClosed(t *testing.T, db storage.DB) {
	put(t, db, "b", "k", "v")
	require.NoError(t, db.Close())
	err := db.Update(t.Context(), func(tx storage.Tx) error { return nil })
	require.ErrorIs(t, err, storage.ErrClosed)
	err = db.View(t.Context(), func(tx storage.Tx) error { return nil })
	require.ErrorIs(t, err, storage.ErrClosed)
	if err := db.Close(); err != nil {
		require.ErrorIs(t, err, storage.ErrClosed, "a second Close")
	}
}
