package boltstore_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/hub/boltstore"
	"github.com/rfterm/rfterm/hub/storage"
	"github.com/rfterm/rfterm/hub/storage/storagetest"
)

func open(t *testing.T) *boltstore.DB {
	t.Helper()
	db, err := boltstore.Open(filepath.Join(t.TempDir(), "hub.db"), boltstore.Options{})
	require.NoError(t, err)
	return db
}

// TestContract: the bbolt backend keeps the storage contract.
func TestContract(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.DB { return open(t) })
}

// TestPutKeepsItsOwnCopy: bbolt keeps the slices a Put is given until the
// commit; the backend copies them, so a caller may reuse its buffers.
func TestPutKeepsItsOwnCopy(t *testing.T) {
	db := open(t)
	defer db.Close()
	require.NoError(t, db.Update(t.Context(), func(tx storage.Tx) error {
		k, v := []byte("k1"), []byte("v1")
		if err := tx.Bucket("b").Put(k, v); err != nil {
			return err
		}
		copy(k, "k2")
		copy(v, "v2")
		return tx.Bucket("b").Put(k, v)
	}))
	require.NoError(t, db.View(t.Context(), func(tx storage.Tx) error {
		v, err := tx.Bucket("b").Get([]byte("k1"))
		assert.Equal(t, "v1", string(v))
		return err
	}))
}

// TestReopenKeepsData: what was committed is there after a reopen, and an
// empty value still reads as empty, not missing.
func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	db, err := boltstore.Open(path, boltstore.Options{})
	require.NoError(t, err)
	require.NoError(t, db.Update(t.Context(), func(tx storage.Tx) error {
		return tx.Bucket("b").Put([]byte("empty"), nil)
	}))
	require.NoError(t, db.Close())
	db, err = boltstore.Open(path, boltstore.Options{})
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.View(t.Context(), func(tx storage.Tx) error {
		v, err := tx.Bucket("b").Get([]byte("empty"))
		assert.NotNil(t, v)
		assert.Empty(t, v)
		return err
	}))
}

// TestOpenWaitsForTheLockThenSaysWho: a file another process (here another
// handle) has open is refused after the timeout, with the path.
func TestOpenWaitsForTheLockThenSaysWho(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	db, err := boltstore.Open(path, boltstore.Options{})
	require.NoError(t, err)
	defer db.Close()
	_, err = boltstore.Open(path, boltstore.Options{Timeout: 50 * time.Millisecond})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "another process has "+path+" open")
}

// TestZeroLengthFileIsRefused: a zero-length file is refused by Open and by
// Check, and left as it is.
func TestZeroLengthFileIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	require.NoError(t, os.WriteFile(path, nil, 0o600))
	_, err := boltstore.Open(path, boltstore.Options{})
	require.ErrorContains(t, err, "empty (0 bytes)")
	require.ErrorContains(t, boltstore.Check(path, &bytes.Buffer{}), "empty (0 bytes)")
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Zero(t, fi.Size())
}

// TestWriterWaitingForItsTurnHonoursItsContext: an Update waiting while
// another writes gives up when its context ends.
func TestWriterWaitingForItsTurnHonoursItsContext(t *testing.T) {
	db := open(t)
	defer db.Close()
	inside, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.Update(context.Background(), func(storage.Tx) error {
			close(inside)
			<-release
			return nil
		})
	}()
	<-inside
	ctx, cancel := context.WithCancel(t.Context())
	waiting := make(chan error, 1)
	go func() {
		waiting <- db.Update(ctx, func(storage.Tx) error {
			t.Error("ran after its context ended")
			return nil
		})
	}()
	cancel()
	require.ErrorIs(t, <-waiting, context.Canceled)
	close(release)
	require.NoError(t, <-done)
}

// TestBackupIsAWorkingCopy: a backup taken while the hub runs opens and
// checks sound, with what was committed before it and nothing after.
func TestBackupIsAWorkingCopy(t *testing.T) {
	db := open(t)
	defer db.Close()
	put := func(k string) {
		require.NoError(t, db.Update(t.Context(), func(tx storage.Tx) error {
			return tx.Bucket("b").Put([]byte(k), []byte("v"))
		}))
	}
	put("before")
	var buf bytes.Buffer
	n, err := db.Backup(t.Context(), &buf)
	require.NoError(t, err)
	assert.Equal(t, int64(buf.Len()), n)
	put("after")

	path := filepath.Join(t.TempDir(), "backup.db")
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o600))
	var out bytes.Buffer
	require.NoError(t, boltstore.Check(path, &out), out.String())
	cp, err := boltstore.Open(path, boltstore.Options{})
	require.NoError(t, err)
	defer cp.Close()
	require.NoError(t, cp.View(t.Context(), func(tx storage.Tx) error {
		v, err := tx.Bucket("b").Get([]byte("before"))
		assert.Equal(t, "v", string(v))
		after, _ := tx.Bucket("b").Get([]byte("after"))
		assert.Nil(t, after)
		return err
	}))

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = db.Backup(ctx, &bytes.Buffer{})
	require.ErrorIs(t, err, context.Canceled)
}
