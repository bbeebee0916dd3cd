package storagetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/rfterm/rfterm/hub/storage"
)

func testGetAbsent(t *testing.T, db storage.DB) {
	assert.Nil(t, get(t, db, "never", "k"), "a bucket nothing was written to is empty")
	put(t, db, "b", "k", "v")
	assert.Nil(t, get(t, db, "b", "other"))
	update(t, db, func(tx storage.Tx) error {
		v, err := tx.Bucket("b").Get([]byte("other"))
		assert.NoError(t, err)
		assert.Nil(t, v)
		return nil
	})
}

// A bucket never written reads empty by Get, Scan and Last, in a View and
// in an Update, and reading it creates nothing.
func testUnwrittenBucketReadsEmpty(t *testing.T, db storage.DB) {
	check := func(tx storage.Tx) error {
		b := tx.Bucket("never")
		v, err := b.Get([]byte("k"))
		assert.NoError(t, err)
		assert.Nil(t, v)
		k, v, err := b.Last(nil)
		assert.NoError(t, err)
		assert.Nil(t, k)
		assert.Nil(t, v)
		return b.Scan(nil, nil, func(k, _ []byte) error {
			t.Errorf("key %q in a bucket never written", k)
			return nil
		})
	}
	view(t, db, check)
	update(t, db, check)
	view(t, db, check)
}

func testPutGet(t *testing.T, db storage.DB) {
	put(t, db, "b", "k1", "one", "k2", "two")
	assert.Equal(t, []byte("one"), get(t, db, "b", "k1"))
	assert.Equal(t, []byte("two"), get(t, db, "b", "k2"))
	put(t, db, "b", "k1", "uno")
	assert.Equal(t, []byte("uno"), get(t, db, "b", "k1"), "Put replaces")
	assert.Equal(t, []byte("two"), get(t, db, "b", "k2"))
}

// A stored value is never nil: an empty value (given as nil or as a
// zero-length slice) reads as a zero-length slice, in the transaction that
// wrote it and after.
func testEmptyValue(t *testing.T, db storage.DB) {
	check := func(b storage.Bucket) {
		for _, k := range []string{"nil", "empty"} {
			v, err := b.Get([]byte(k))
			assert.NoError(t, err)
			assert.NotNil(t, v, "an empty value at %q reads as a zero-length slice, not nil", k)
			assert.Empty(t, v)
		}
		got, err := scanAll(b, nil, nil)
		assert.NoError(t, err)
		assert.Equal(t, []pair{{"empty", ""}, {"nil", ""}}, got)
		k, v, err := b.Last(nil)
		assert.NoError(t, err)
		assert.Equal(t, []byte("nil"), k)
		assert.NotNil(t, v)
	}
	update(t, db, func(tx storage.Tx) error {
		b := tx.Bucket("b")
		assert.NoError(t, b.Put([]byte("nil"), nil))
		assert.NoError(t, b.Put([]byte("empty"), []byte{}))
		check(b)
		return nil
	})
	view(t, db, func(tx storage.Tx) error { check(tx.Bucket("b")); return nil })
}

// An empty key is refused; the error rolls the transaction back.
func testEmptyKey(t *testing.T, db storage.DB) {
	err := db.Update(t.Context(), func(tx storage.Tx) error {
		b := tx.Bucket("b")
		if err := b.Put([]byte("ok"), []byte("v")); err != nil {
			return err
		}
		return b.Put(nil, []byte("v"))
	})
	assert.Error(t, err, "Put with an empty key")
	assert.Nil(t, get(t, db, "b", "ok"))
	assert.Error(t, db.Update(t.Context(), func(tx storage.Tx) error {
		return tx.Bucket("b").Put([]byte{}, []byte("v"))
	}))
}

func testDelete(t *testing.T, db storage.DB) {
	put(t, db, "b", "a", "1", "b", "2")
	update(t, db, func(tx storage.Tx) error {
		b := tx.Bucket("b")
		assert.NoError(t, b.Delete([]byte("a")))
		assert.NoError(t, b.Delete([]byte("missing")), "deleting a missing key is not an error")
		assert.NoError(t, tx.Bucket("untouched").Delete([]byte("x")))
		return nil
	})
	assert.Nil(t, get(t, db, "b", "a"))
	assert.Equal(t, []byte("2"), get(t, db, "b", "b"))
	assert.Equal(t, []pair{{"b", "2"}}, scanCommitted(t, db, "b", nil, nil))
}

// Buckets whose names share a prefix hold keys of their own.
func testBucketsAreSeparate(t *testing.T, db storage.DB) {
	for _, name := range []string{"a", "ab", "b", "a/b"} {
		put(t, db, name, "k", name, name+"-only", "x")
	}
	for _, name := range []string{"a", "ab", "b", "a/b"} {
		assert.Equal(t, []pair{{name + "-only", "x"}, {"k", name}}, scanCommitted(t, db, name, nil, nil), name)
	}
	update(t, db, func(tx storage.Tx) error { return tx.Bucket("a").Delete([]byte("k")) })
	assert.Equal(t, []byte("ab"), get(t, db, "ab", "k"))
}

// Two handles on one bucket in a transaction see each other's writes.
func testSameBucketTwice(t *testing.T, db storage.DB) {
	update(t, db, func(tx storage.Tx) error {
		assert.NoError(t, tx.Bucket("b").Put([]byte("k"), []byte("v")))
		v, err := tx.Bucket("b").Get([]byte("k"))
		assert.NoError(t, err)
		assert.Equal(t, []byte("v"), v)
		return nil
	})
}

func testReadYourWrites(t *testing.T, db storage.DB) {
	put(t, db, "b", "old", "1", "gone", "2")
	update(t, db, func(tx storage.Tx) error {
		b := tx.Bucket("b")
		expect := func(k, want string) {
			t.Helper()
			v, err := b.Get([]byte(k))
			assert.NoError(t, err)
			if want == "<nil>" {
				assert.Nil(t, v, k)
			} else {
				assert.Equal(t, want, string(v), k)
			}
		}
		assert.NoError(t, b.Put([]byte("new"), []byte("n")))
		expect("new", "n")
		assert.NoError(t, b.Put([]byte("old"), []byte("changed")))
		expect("old", "changed")
		assert.NoError(t, b.Delete([]byte("gone")))
		expect("gone", "<nil>")
		assert.NoError(t, b.Put([]byte("gone"), []byte("back")))
		expect("gone", "back")
		assert.NoError(t, b.Delete([]byte("new")))
		expect("new", "<nil>")
		return nil
	})
	assert.Equal(t, []pair{{"gone", "back"}, {"old", "changed"}}, scanCommitted(t, db, "b", nil, nil))
}

// An error from fn rolls back everything fn wrote, in every bucket, and is
// returned.
func testRollbackOnError(t *testing.T, db storage.DB) {
	put(t, db, "a", "keep", "1", "drop", "2")
	var seq uint64
	update(t, db, func(tx storage.Tx) error {
		var err error
		seq, err = tx.Bucket("s").NextSequence()
		return err
	})
	err := db.Update(t.Context(), func(tx storage.Tx) error {
		a := tx.Bucket("a")
		assert.NoError(t, a.Put([]byte("keep"), []byte("changed")))
		assert.NoError(t, a.Delete([]byte("drop")))
		assert.NoError(t, a.Put([]byte("new"), []byte("3")))
		assert.NoError(t, tx.Bucket("other").Put([]byte("x"), []byte("y")))
		_, err := tx.Bucket("s").NextSequence()
		assert.NoError(t, err)
		return fmt.Errorf("wrapped: %w", errBoom)
	})
	assert.ErrorIs(t, err, errBoom, "fn's error is returned")
	assert.Equal(t, []pair{{"drop", "2"}, {"keep", "1"}}, scanCommitted(t, db, "a", nil, nil))
	assert.Empty(t, scanCommitted(t, db, "other", nil, nil))
	update(t, db, func(tx storage.Tx) error {
		next, err := tx.Bucket("s").NextSequence()
		assert.NoError(t, err)
		assert.Greater(t, next, seq, "numbers keep increasing past a rollback (a gap is allowed)")
		return nil
	})
}

// A View cannot write.
func testReadOnlyView(t *testing.T, db storage.DB) {
	put(t, db, "b", "k", "v")
	view(t, db, func(tx storage.Tx) error {
		for _, b := range []storage.Bucket{tx.Bucket("never"), tx.Bucket("b")} {
			assert.ErrorIs(t, b.Put([]byte("k"), []byte("w")), storage.ErrReadOnly)
			assert.ErrorIs(t, b.Delete([]byte("k")), storage.ErrReadOnly)
			_, err := b.NextSequence()
			assert.ErrorIs(t, err, storage.ErrReadOnly)
		}
		v, err := tx.Bucket("b").Get([]byte("k"))
		assert.NoError(t, err, "a refused write leaves the View usable")
		assert.Equal(t, []byte("v"), v)
		return nil
	})
	assert.Equal(t, []byte("v"), get(t, db, "b", "k"))
}

type ctxKey struct{}

// Tx.Context is the context the transaction was started with.
func testTxContext(t *testing.T, db storage.DB) {
	ctx := context.WithValue(t.Context(), ctxKey{}, "mine")
	assert.NoError(t, db.View(ctx, func(tx storage.Tx) error {
		assert.Equal(t, "mine", tx.Context().Value(ctxKey{}))
		return nil
	}))
	assert.NoError(t, db.Update(ctx, func(tx storage.Tx) error {
		assert.Equal(t, "mine", tx.Context().Value(ctxKey{}))
		return nil
	}))
}

func testLargeValues(t *testing.T, db storage.DB) {
	sizes := map[string]int{"64KiB": 64 << 10, "1MiB": 1 << 20, "8MiB": 8 << 20}
	want := map[string][]byte{}
	update(t, db, func(tx storage.Tx) error {
		for name, n := range sizes {
			v := make([]byte, n)
			rand.Read(v)
			want[name] = v
			if err := tx.Bucket("big").Put([]byte(name), v); err != nil {
				return err
			}
		}
		return nil
	})
	for name, v := range want {
		assert.True(t, bytes.Equal(v, get(t, db, "big", name)), name)
	}
	view(t, db, func(tx storage.Tx) error {
		n := 0
		err := tx.Bucket("big").Scan(nil, nil, func(k, v []byte) error {
			n++
			assert.True(t, bytes.Equal(want[string(k)], v), "Scan %s", k)
			return nil
		})
		assert.Equal(t, len(want), n)
		return err
	})
}

// Keys are bytes: 0x00 and 0xff anywhere, ordered bytewise (a key sorts
// after its prefixes).
func testBinaryKeys(t *testing.T, db storage.DB) {
	ordered := [][]byte{
		{0x00}, {0x00, 0x00}, {0x00, 0x00, 0xff}, {0x00, 0x01}, {0x01, 0x00, 0xff},
		{0x01, 0xff}, {0x02}, {0x7f}, {0x80}, {0xfe, 0xff}, {0xff}, {0xff, 0x00}, {0xff, 0xff}, {0xff, 0xff, 0xff},
	}
	update(t, db, func(tx storage.Tx) error {
		for i := len(ordered) - 1; i >= 0; i-- {
			if err := tx.Bucket("bin").Put(ordered[i], []byte{byte(i), 0x00, 0xff}); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, db, func(tx storage.Tx) error {
		b := tx.Bucket("bin")
		var keys [][]byte
		assert.NoError(t, b.Scan(nil, nil, func(k, v []byte) error {
			keys = append(keys, bytes.Clone(k))
			return nil
		}))
		assert.Equal(t, ordered, keys)
		for i, k := range ordered {
			v, err := b.Get(k)
			assert.NoError(t, err)
			assert.Equal(t, []byte{byte(i), 0x00, 0xff}, v)
		}
		v, err := b.Get([]byte{0x00, 0x00, 0x00})
		assert.NoError(t, err)
		assert.Nil(t, v)
		got, err := scanAll(b, []byte{0x00}, storage.PrefixEnd([]byte{0x00}))
		assert.NoError(t, err)
		assert.Len(t, got, 4, "the keys under prefix 0x00")
		got, err = scanAll(b, []byte{0xff}, storage.PrefixEnd([]byte{0xff}))
		assert.NoError(t, err)
		assert.Len(t, got, 4, "the keys under prefix 0xff: PrefixEnd is nil, the scan runs to the end")
		k, _, err := b.Last([]byte{0xff})
		assert.NoError(t, err)
		assert.Equal(t, []byte{0xfe, 0xff}, k)
		k, _, err = b.Last([]byte{0x00})
		assert.NoError(t, err)
		assert.Nil(t, k, "nothing sorts below 0x00 but the empty key, which cannot be stored")
		return nil
	})
}

// Thousands of keys written in one transaction come back in order, whole
// and in ranges.
func testManyKeys(t *testing.T, db storage.DB) {
	const n = 5000
	key := func(i int) []byte { return []byte(fmt.Sprintf("key-%05d", i)) }
	update(t, db, func(tx storage.Tx) error {
		for i := range n {
			if err := tx.Bucket("many").Put(key(i), key(i)); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, db, func(tx storage.Tx) error {
		all, err := scanAll(tx.Bucket("many"), nil, nil)
		assert.NoError(t, err)
		assert.Len(t, all, n)
		for i, p := range all[:min(n, len(all))] {
			assert.Equal(t, string(key(i)), p.k)
			assert.Equal(t, p.k, p.v)
		}
		part, err := scanAll(tx.Bucket("many"), key(1234), key(4321))
		assert.NoError(t, err)
		if assert.Len(t, part, 4321-1234) {
			assert.Equal(t, string(key(1234)), part[0].k)
		}
		k, _, err := tx.Bucket("many").Last(key(2500))
		assert.NoError(t, err)
		assert.Equal(t, key(2499), k)
		return nil
	})
}
