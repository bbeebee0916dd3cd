package storagetest

import (
	"bytes"
	"fmt"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/rfterm/rfterm/hub/storage"
)

func testPrefixEnd(t *testing.T) {
	for _, c := range []struct{ prefix, want []byte }{
		{nil, nil},
		{[]byte{}, nil},
		{[]byte("a"), []byte("b")},
		{[]byte("ab"), []byte("ac")},
		{[]byte{'a', 0xff}, []byte("b")},
		{[]byte{'a', 0xff, 0xff}, []byte("b")},
		{[]byte{0x00}, []byte{0x01}},
		{[]byte{0xff}, nil},
		{[]byte{0xff, 0xff}, nil},
		{[]byte{0x01, 0xff, 0x00}, []byte{0x01, 0xff, 0x01}},
	} {
		in := bytes.Clone(c.prefix)
		assert.Equal(t, c.want, storage.PrefixEnd(c.prefix), "PrefixEnd(%x)", c.prefix)
		assert.Equal(t, in, c.prefix, "PrefixEnd leaves its argument alone")
	}
}

// twenty keys k00..k38, even numbers only, values v00..v38.
func evenKeys(t *testing.T, db storage.DB, bucket string) []pair {
	var kv []string
	var all []pair
	for i := 0; i < 40; i += 2 {
		k, v := fmt.Sprintf("k%02d", i), fmt.Sprintf("v%02d", i)
		kv = append(kv, k, v)
		all = append(all, pair{k, v})
	}
	put(t, db, bucket, kv...)
	return all
}

// Scan covers [from, to): nil bounds are open, bounds need not be keys, an
// empty or inverted range gives nothing.
func testScanRanges(t *testing.T, db storage.DB) {
	all := evenKeys(t, db, "r")
	index := func(k string) int { return sort.Search(len(all), func(i int) bool { return all[i].k >= k }) }
	for _, c := range []struct{ from, to string }{
		{"", ""}, {"k10", "k20"}, {"k10", ""}, {"", "k10"}, {"k09", "k21"}, {"k11", "k12"},
		{"k10", "k10"}, {"k20", "k10"}, {"a", "b"}, {"z", ""}, {"", "a"}, {"k38", ""}, {"k38", "k39"},
		{"k", "l"}, {"k1", "k2"},
	} {
		want := all[index(c.from):]
		if c.to != "" {
			want = all[index(c.from):max(index(c.from), index(c.to))]
		}
		got := scanCommitted(t, db, "r", bs(c.from), bs(c.to))
		assert.Equal(t, fmt.Sprint(want), fmt.Sprint(got), "Scan(%q, %q)", c.from, c.to)
	}
}

// ErrStop ends a scan without an error; any other error ends it and is
// returned.
func testScanStop(t *testing.T, db storage.DB) {
	evenKeys(t, db, "s")
	view(t, db, func(tx storage.Tx) error {
		calls := 0
		err := tx.Bucket("s").Scan(nil, nil, func(k, v []byte) error {
			calls++
			if calls == 3 {
				return storage.ErrStop
			}
			return nil
		})
		assert.NoError(t, err, "ErrStop is not an error")
		assert.Equal(t, 3, calls, "ErrStop ends the scan")
		calls = 0
		err = tx.Bucket("s").Scan(nil, nil, func(k, v []byte) error {
			calls++
			if calls == 5 {
				return fmt.Errorf("mine: %w", errBoom)
			}
			return nil
		})
		assert.ErrorIs(t, err, errBoom)
		assert.Equal(t, 5, calls)
		return nil
	})
	// The same inside an Update, whose writes the scan also walks.
	err := db.Update(t.Context(), func(tx storage.Tx) error {
		b := tx.Bucket("s")
		if err := b.Put([]byte("k01"), []byte("new")); err != nil {
			return err
		}
		var seen []string
		err := b.Scan(nil, nil, func(k, v []byte) error {
			seen = append(seen, string(k))
			if len(seen) == 2 {
				return storage.ErrStop
			}
			return nil
		})
		assert.NoError(t, err)
		assert.Equal(t, []string{"k00", "k01"}, seen)
		return b.Scan(nil, nil, func(k, v []byte) error { return errBoom })
	})
	assert.ErrorIs(t, err, errBoom, "a scan's error returned by fn rolls back")
	assert.Nil(t, get(t, db, "s", "k01"))
}

// Scan(prefix, PrefixEnd(prefix)) gives exactly the keys starting with
// prefix.
func testScanPrefix(t *testing.T, db storage.DB) {
	keys := []string{"", "a", "a\x00", "a\x00\x00", "a\xff", "a\xff\xff", "ab", "abc", "b", "\xff", "\xff\xff", "\xff\x00"}
	var kv []string
	for _, k := range keys[1:] {
		kv = append(kv, k, "v"+k)
	}
	put(t, db, "p", kv...)
	for _, prefix := range []string{"a", "a\x00", "a\xff", "ab", "b", "c", "\xff", "\xff\xff"} {
		var want []pair
		for _, k := range keys[1:] {
			if len(k) >= len(prefix) && k[:len(prefix)] == prefix {
				want = append(want, pair{k, "v" + k})
			}
		}
		sort.Slice(want, func(i, j int) bool { return want[i].k < want[j].k })
		got := scanCommitted(t, db, "p", []byte(prefix), storage.PrefixEnd([]byte(prefix)))
		assert.Equal(t, fmt.Sprint(want), fmt.Sprint(got), "prefix %q", prefix)
	}
}

// A Scan callback may read the same bucket and others (the hub scans an
// index and reads the records it points at).
func testScanCallbackReads(t *testing.T, db storage.DB) {
	all := evenKeys(t, db, "idx")
	var kv []string
	for _, p := range all {
		kv = append(kv, p.v, "record-"+p.v)
	}
	put(t, db, "rec", kv...)
	check := func(tx storage.Tx) error {
		n := 0
		err := tx.Bucket("idx").Scan(nil, nil, func(k, v []byte) error {
			n++
			rec, err := tx.Bucket("rec").Get(v)
			if err != nil {
				return err
			}
			assert.Equal(t, "record-"+string(v), string(rec))
			self, err := tx.Bucket("idx").Get(k)
			if err != nil {
				return err
			}
			assert.Equal(t, v, self)
			last, _, err := tx.Bucket("idx").Last(nil)
			assert.Equal(t, "k38", string(last))
			return err
		})
		assert.Equal(t, len(all), n)
		return err
	}
	view(t, db, check)
	update(t, db, check)
}

// Last(before) is the greatest key below before; Last(nil) the greatest.
func testLast(t *testing.T, db storage.DB) {
	view(t, db, func(tx storage.Tx) error {
		k, v, err := tx.Bucket("l").Last(nil)
		assert.NoError(t, err)
		assert.Nil(t, k, "an empty bucket has no last key")
		assert.Nil(t, v)
		return nil
	})
	evenKeys(t, db, "l")
	view(t, db, func(tx storage.Tx) error {
		b := tx.Bucket("l")
		for _, c := range []struct{ before, want string }{
			{"", "k38"}, {"k38", "k36"}, {"k37", "k36"}, {"k39", "k38"}, {"z", "k38"},
			{"k00", ""}, {"k01", "k00"}, {"a", ""}, {"k10\x00", "k10"}, {"k1", "k08"},
		} {
			k, v, err := b.Last(bs(c.before))
			assert.NoError(t, err)
			if c.want == "" {
				assert.Nil(t, k, "Last(%q)", c.before)
				continue
			}
			assert.Equal(t, c.want, string(k), "Last(%q)", c.before)
			assert.Equal(t, "v"+c.want[1:], string(v), "Last(%q)", c.before)
		}
		return nil
	})
}

// Inside an Update, Scan and Last walk the transaction's own writes merged
// with what was committed: new keys between old ones, changed values,
// deleted keys (first, last, a run) gone.
func testScanAndLastSeeOwnWrites(t *testing.T, db storage.DB) {
	evenKeys(t, db, "w")
	model := map[string]string{}
	for i := 0; i < 40; i += 2 {
		model[fmt.Sprintf("k%02d", i)] = fmt.Sprintf("v%02d", i)
	}
	err := db.Update(t.Context(), func(tx storage.Tx) error {
		b := tx.Bucket("w")
		for k, v := range map[string]string{"k05": "new05", "k10": "changed", "a": "first", "z": "last", "k39": "new39"} {
			if err := b.Put([]byte(k), []byte(v)); err != nil {
				return err
			}
			model[k] = v
		}
		for _, k := range []string{"k00", "k38", "k14", "k16", "k18", "k20", "z", "missing"} {
			if err := b.Delete([]byte(k)); err != nil {
				return err
			}
			delete(model, k)
		}
		if err := b.Put([]byte("k16"), []byte("again")); err != nil {
			return err
		}
		model["k16"] = "again"
		checkAgainst(t, b, model)
		return nil
	})
	assert.NoError(t, err)
	view(t, db, func(tx storage.Tx) error { checkAgainst(t, tx.Bucket("w"), model); return nil })
}

// checkAgainst compares Scan (whole and in ranges), Last and Get on b with
// model.
func checkAgainst(t *testing.T, b storage.Bucket, model map[string]string) {
	t.Helper()
	var want []pair
	for k, v := range model {
		want = append(want, pair{k, v})
	}
	sort.Slice(want, func(i, j int) bool { return want[i].k < want[j].k })
	bounds := []string{"", "a", "k", "k00", "k05", "k10", "k15", "k16", "k21", "k38", "k39", "k4", "z", "zz"}
	for _, from := range bounds {
		for _, to := range bounds {
			var exp []pair
			for _, p := range want {
				if p.k >= from && (to == "" || p.k < to) {
					exp = append(exp, p)
				}
			}
			got, err := scanAll(b, bs(from), bs(to))
			assert.NoError(t, err)
			assert.Equal(t, fmt.Sprint(exp), fmt.Sprint(got), "Scan(%q, %q)", from, to)
		}
		var exp pair
		for _, p := range want {
			if from == "" || p.k < from {
				exp = p
			}
		}
		k, v, err := b.Last(bs(from))
		assert.NoError(t, err)
		assert.Equal(t, exp, pair{string(k), string(v)}, "Last(%q)", from)
	}
	for _, k := range append(bounds, "k14", "k20", "missing") {
		v, err := b.Get([]byte(k))
		assert.NoError(t, err)
		if mv, ok := model[k]; ok {
			assert.Equal(t, mv, string(v), "Get(%q)", k)
		} else {
			assert.Nil(t, v, "Get(%q)", k)
		}
	}
}
