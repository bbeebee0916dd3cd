package storagetest

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/hub/storage"
)

// op is one random operation of the model test.
type op struct {
	kind     int // opPut, opDelete, opGet, opScan, opLast
	bucket   string
	key, val string
	to       string // Scan's end
	stop     int    // Scan: return ErrStop after this many keys (0: never)
}

const (
	opPut = iota
	opDelete
	opGet
	opScan
	opLast
	opKinds
)

// errMismatch marks a difference from the model, to end fn early.
var errMismatch = errors.New("storagetest: differs from the model")

// model is bucket -> key -> value.
type model map[string]map[string]string

func (m model) clone() model {
	c := model{}
	for b, kv := range m {
		c[b] = maps.Clone(kv)
	}
	return c
}

// sorted is bucket's keys in [from, to) ("" bounds are open), in order.
func (m model) sorted(bucket, from, to string) []string {
	var keys []string
	for k := range m[bucket] {
		if k >= from && (to == "" || k < to) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// Random transactions over a small space of binary keys, some rolled back,
// checked op by op against a map: Get, Scan (with ErrStop) and Last inside
// the transaction see its own writes over the committed state, and what
// commits is exactly what the model says.
func testRandomOpsMatchModel(t *testing.T, db storage.DB) {
	rng := rand.New(rand.NewPCG(16, 1))
	alphabet := "\x00\x01a\x7f\xff"
	str := func(min, max int) string {
		b := make([]byte, min+rng.IntN(max-min+1))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	buckets := []string{"m1", "m2"}
	committed := model{}
	for round := range 80 {
		ops := make([]op, 1+rng.IntN(40))
		for i := range ops {
			o := op{kind: rng.IntN(opKinds), bucket: buckets[rng.IntN(len(buckets))], key: str(1, 3), val: str(0, 6)}
			if o.kind == opPut || o.kind == opDelete {
				o.kind = []int{opPut, opPut, opDelete}[rng.IntN(3)]
			}
			if rng.IntN(4) == 0 {
				o.key = "" // Scan from the first key, Last of all; Get/Put/Delete use a real key
			}
			if rng.IntN(3) > 0 {
				o.to = str(1, 3)
			}
			if rng.IntN(4) == 0 {
				o.stop = 1 + rng.IntN(4)
			}
			ops[i] = o
		}
		rollback := rng.IntN(5) == 0
		var pending model
		err := db.Update(t.Context(), func(tx storage.Tx) error {
			pending = committed.clone()
			for i, o := range ops {
				if err := applyOp(t, tx, pending, o); err != nil {
					return fmt.Errorf("round %d op %d %+v: %w", round, i, o, err)
				}
			}
			if rollback {
				return errBoom
			}
			return nil
		})
		if rollback {
			require.ErrorIs(t, err, errBoom)
		} else {
			require.NoError(t, err)
			committed = pending
		}
		view(t, db, func(tx storage.Tx) error {
			for _, b := range buckets {
				want := committed.sorted(b, "", "")
				var got []string
				err := tx.Bucket(b).Scan(nil, nil, func(k, v []byte) error {
					got = append(got, string(k))
					assert.Equal(t, committed[b][string(k)], string(v), "round %d %s %q", round, b, k)
					return nil
				})
				assert.Equal(t, want, got, "round %d: bucket %s after commit", round, b)
				if err != nil {
					return err
				}
			}
			return nil
		})
		if t.Failed() {
			return
		}
	}
}

// applyOp runs o on tx and on m, checking any read against m.
func applyOp(t *testing.T, tx storage.Tx, m model, o op) error {
	b := tx.Bucket(o.bucket)
	key := o.key
	if key == "" && (o.kind == opPut || o.kind == opDelete || o.kind == opGet) {
		key = "a"
	}
	switch o.kind {
	case opPut:
		if m[o.bucket] == nil {
			m[o.bucket] = map[string]string{}
		}
		m[o.bucket][key] = o.val
		return b.Put([]byte(key), []byte(o.val))
	case opDelete:
		delete(m[o.bucket], key)
		return b.Delete([]byte(key))
	case opGet:
		v, err := b.Get([]byte(key))
		want, ok := m[o.bucket][key]
		if ok {
			if !assert.NotNil(t, v) || !assert.Equal(t, want, string(v)) {
				return errMismatch
			}
		} else if !assert.Nil(t, v) {
			return errMismatch
		}
		return err
	case opScan:
		want := m.sorted(o.bucket, o.key, o.to)
		if o.to != "" && o.to <= o.key {
			want = nil
		}
		if o.stop > 0 && len(want) > o.stop {
			want = want[:o.stop]
		}
		var got []string
		err := b.Scan([]byte(o.key), bs(o.to), func(k, v []byte) error {
			got = append(got, string(k))
			if m[o.bucket][string(k)] != string(v) {
				return fmt.Errorf("value at %q: %q, want %q: %w", k, v, m[o.bucket][string(k)], errMismatch)
			}
			if len(got) == o.stop {
				return storage.ErrStop
			}
			return nil
		})
		if !assert.Equal(t, want, got, "Scan(%q, %q)", o.key, o.to) {
			return errMismatch
		}
		return err
	case opLast:
		keys := m.sorted(o.bucket, "", "")
		var want string
		for _, k := range keys {
			if o.key == "" || k < o.key {
				want = k
			}
		}
		k, v, err := b.Last(bs(o.key))
		if !assert.Equal(t, want, string(k), "Last(%q)", o.key) ||
			!assert.Equal(t, m[o.bucket][want], string(v), "Last(%q)'s value", o.key) {
			return errMismatch
		}
		return err
	}
	return nil
}
