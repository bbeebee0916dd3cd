// Package storagetest is the conformance suite of the hub's storage contract
// (package storage): every backend runs it from a test of its own,
//
//	func TestConformance(t *testing.T) {
//		storagetest.Run(t, func(t *testing.T) storage.DB { return openEmpty(t) })
//	}
//
// and so is held to the same behaviour: values and buckets, ranges and
// order, rollback, read-your-writes, snapshots, serializability under
// concurrency (lost updates, write skew, invariants across keys), sequence
// numbers in commit order, contexts that end, and Close.
//
// The suite checks only what the contract promises; where it allows two
// behaviours (a gap in sequence numbers after a rollback, a commit racing a
// cancellation) it accepts both and checks they are consistent.
package storagetest

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/hub/storage"
)

// waitLimit bounds every wait in the suite on something another goroutine
// or the backend must do: past it the test fails instead of hanging.
const waitLimit = 30 * time.Second

// Open opens a new, empty database for one test. Run closes it (a second
// Close of the backend must be harmless if the opener closes it too).
type Open func(t *testing.T) storage.DB

// Run runs the whole suite, each test on a database of its own.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(t *testing.T, db storage.DB)
	}{
		{"GetAbsent", testGetAbsent},
		{"UnwrittenBucketReadsEmpty", testUnwrittenBucketReadsEmpty},
		{"PutGet", testPutGet},
		{"EmptyValue", testEmptyValue},
		{"EmptyKey", testEmptyKey},
		{"Delete", testDelete},
		{"BucketsAreSeparate", testBucketsAreSeparate},
		{"SameBucketTwice", testSameBucketTwice},
		{"ReadYourWrites", testReadYourWrites},
		{"GetMany", testGetMany},
		{"GetManyIsolation", testGetManyIsolation},
		{"RollbackOnError", testRollbackOnError},
		{"ReadOnlyView", testReadOnlyView},
		{"TxContext", testTxContext},
		{"LargeValues", testLargeValues},
		{"BinaryKeys", testBinaryKeys},
		{"ManyKeys", testManyKeys},
		{"ScanRanges", testScanRanges},
		{"ScanStop", testScanStop},
		{"ScanPrefix", testScanPrefix},
		{"ScanCallbackReads", testScanCallbackReads},
		{"Last", testLast},
		{"ScanAndLastSeeOwnWrites", testScanAndLastSeeOwnWrites},
		{"RandomOpsMatchModel", testRandomOpsMatchModel},
		{"NextSequence", testNextSequence},
		{"NextSequenceCommitOrder", testNextSequenceCommitOrder},
		{"SequencesFollowCommits", testSequencesFollowCommits},
		{"ConcurrentCounters", testConcurrentCounters},
		{"WriteSkew", testWriteSkew},
		{"TransfersKeepTheirSum", testTransfersKeepTheirSum},
		{"ViewIsASnapshot", testViewIsASnapshot},
		{"UncommittedIsInvisible", testUncommittedIsInvisible},
		{"ContextEndedBefore", testContextEndedBefore},
		{"ContextCanceledInFn", testContextCanceledInFn},
		{"ContextEndsWhileWaiting", testContextEndsWhileWaiting},
		{"Closed", testClosed},
	}
	t.Run("PrefixEnd", testPrefixEnd)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := open(t)
			t.Cleanup(func() { db.Close() })
			tc.fn(t, db)
		})
	}
}

// errBoom is an error of fn's own.
var errBoom = errors.New("storagetest: boom")

func update(t *testing.T, db storage.DB, fn func(storage.Tx) error) {
	t.Helper()
	require.NoError(t, db.Update(t.Context(), fn))
}

func view(t *testing.T, db storage.DB, fn func(storage.Tx) error) {
	t.Helper()
	require.NoError(t, db.View(t.Context(), fn))
}

// put commits key=value pairs (alternating) into bucket.
func put(t *testing.T, db storage.DB, bucket string, kv ...string) {
	t.Helper()
	update(t, db, func(tx storage.Tx) error {
		b := tx.Bucket(bucket)
		for i := 0; i+1 < len(kv); i += 2 {
			if err := b.Put([]byte(kv[i]), []byte(kv[i+1])); err != nil {
				return err
			}
		}
		return nil
	})
}

// get reads one committed value.
func get(t *testing.T, db storage.DB, bucket, key string) []byte {
	t.Helper()
	var v []byte
	view(t, db, func(tx storage.Tx) error {
		got, err := tx.Bucket(bucket).Get([]byte(key))
		v = bytes.Clone(got)
		return err
	})
	return v
}

// pair is one key and value seen by a scan.
type pair struct{ k, v string }

// String shows the pair quoted, for failure messages.
func (p pair) String() string { return fmt.Sprintf("%q=%q", p.k, p.v) }

// scanAll collects Scan(from, to) of bucket in b.
func scanAll(b storage.Bucket, from, to []byte) ([]pair, error) {
	var out []pair
	err := b.Scan(from, to, func(k, v []byte) error {
		if v == nil {
			return fmt.Errorf("Scan gave a nil value at %q", k)
		}
		out = append(out, pair{string(k), string(v)})
		return nil
	})
	return out, err
}

// scanCommitted collects Scan(from, to) of a bucket in a View.
func scanCommitted(t *testing.T, db storage.DB, bucket string, from, to []byte) []pair {
	t.Helper()
	var out []pair
	view(t, db, func(tx storage.Tx) error {
		var err error
		out, err = scanAll(tx.Bucket(bucket), from, to)
		return err
	})
	return out
}

// bs is a string as bytes, nil for the empty string (an open bound).
func bs(s string) []byte {
	if s == "" {
		return nil
	}
	return []byte(s)
}

// within waits for ch to be closed or to deliver, failing t after waitLimit.
func within(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(waitLimit):
		t.Fatalf("waited %v for %s", waitLimit, what)
	}
}
