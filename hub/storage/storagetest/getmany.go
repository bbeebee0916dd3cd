package storagetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/rfterm/rfterm/hub/storage"
)

// GetMany (through storage.GetMany, natively or by its fallback) returns
// what Get would one by one: committed values, the transaction's own
// writes and deletions, nil for absent keys, an empty value as empty, a key
// asked twice twice. Reads after it, and after Prefetch, still see the
// transaction's writes made since (a backend keeping what GetMany read
// must not answer a later Get with it once the key is written).
func testGetMany(t *testing.T, db storage.DB) {
	put(t, db, "b", "a", "1", "b", "2", "c", "3", "e", "")
	keys := func(ks ...string) [][]byte {
		out := make([][]byte, len(ks))
		for i, k := range ks {
			out[i] = []byte(k)
		}
		return out
	}
	show := func(vs [][]byte) []string {
		out := make([]string, len(vs))
		for i, v := range vs {
			switch {
			case v == nil:
				out[i] = "<nil>"
			default:
				out[i] = "=" + string(v)
			}
		}
		return out
	}
	update(t, db, func(tx storage.Tx) error {
		b := tx.Bucket("b")
		assert.NoError(t, b.Put([]byte("b"), []byte("two")))
		assert.NoError(t, b.Delete([]byte("c")))
		assert.NoError(t, b.Put([]byte("n"), []byte("new")))
		got, err := storage.GetMany(b, keys("a", "b", "c", "n", "x", "e", "a"))
		assert.NoError(t, err)
		assert.Equal(t, []string{"=1", "=two", "<nil>", "=new", "<nil>", "=", "=1"}, show(got))
		assert.NotNil(t, got[5], "an empty value reads as empty, not absent")

		// Written after GetMany read them: Get sees the writes.
		assert.NoError(t, b.Put([]byte("a"), []byte("one")))
		assert.NoError(t, b.Put([]byte("x"), []byte("ex")))
		assert.NoError(t, b.Delete([]byte("e")))
		for k, want := range map[string]string{"a": "=one", "x": "=ex", "e": "<nil>", "n": "=new"} {
			v, err := b.Get([]byte(k))
			assert.NoError(t, err)
			assert.Equal(t, []string{want}, show([][]byte{v}), k)
		}
		got, err = storage.GetMany(b, keys("a", "x", "e"))
		assert.NoError(t, err)
		assert.Equal(t, []string{"=one", "=ex", "<nil>"}, show(got))

		// Prefetch, then Get, then a write, then Get.
		assert.NoError(t, storage.Prefetch(tx.Bucket("other"), nil))
		assert.NoError(t, storage.Prefetch(b, keys("y", "a")))
		v, err := b.Get([]byte("y"))
		assert.NoError(t, err)
		assert.Nil(t, v)
		assert.NoError(t, b.Put([]byte("y"), []byte("why")))
		v, err = b.Get([]byte("y"))
		assert.NoError(t, err)
		assert.Equal(t, "why", string(v))
		return nil
	})
	view(t, db, func(tx storage.Tx) error {
		got, err := storage.GetMany(tx.Bucket("b"), keys("a", "b", "c", "y", "zz"))
		assert.NoError(t, err)
		assert.Equal(t, []string{"=one", "=two", "<nil>", "=why", "<nil>"}, show(got))
		got, err = storage.GetMany(tx.Bucket("b"), nil)
		assert.NoError(t, err)
		assert.Empty(t, got)
		return nil
	})
}

// A value GetMany read is the transaction's snapshot, and the read counts
// as a read for serializability: when another transaction writes the key
// after it was read and this one then writes from what it read, the
// outcome is one of the two serial orders, never a lost update. (bbolt
// serializes writers: the other waits for this one; PostgreSQL lets it
// commit, and this one conflicts and runs again.)
func testGetManyIsolation(t *testing.T, db storage.DB) {
	put(t, db, "b", "k", "1")
	var other chan error
	update(t, db, func(tx storage.Tx) error {
		b := tx.Bucket("b")
		got, err := storage.GetMany(b, [][]byte{[]byte("k")})
		if err != nil {
			return err
		}
		if other == nil {
			other = make(chan error, 1)
			go func() {
				other <- db.Update(context.Background(), func(tx2 storage.Tx) error {
					return tx2.Bucket("b").Put([]byte("k"), []byte("2"))
				})
			}()
			select { // let it commit, where the backend lets it
			case err := <-other:
				other <- err
			case <-time.After(200 * time.Millisecond):
			}
		}
		v, err := b.Get([]byte("k"))
		if err != nil {
			return err
		}
		assert.Equal(t, string(got[0]), string(v), "Get after GetMany answers from the same snapshot")
		return b.Put([]byte("k"), append(bytes.Clone(v), '+'))
	})
	assert.NoError(t, <-other)
	final := string(get(t, db, "b", "k"))
	assert.Contains(t, []string{"2+", "2"}, final, "1+ would be a lost update")
}
