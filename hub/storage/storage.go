// Package storage is the hub's storage contract: ordered collections of
// keys and values ("buckets") read and written in transactions. The hub's
// business rules are written once against it; each backend (bbolt in
// boltstore, PostgreSQL in pgstore) is one package behind it.
//
// The contract is deliberately small and byte-oriented, the shape of
// etcd's kine or bbolt itself: every rule, index and exactly-once record
// lives in the hub, so both backends hold the same records and pass the
// same tests. What a backend must give:
//
//   - Update runs fn in one serializable transaction: all of its writes
//     commit together or none do, and no two Updates see each other's
//     uncommitted writes. A backend that detects a conflict with another
//     process's transaction (PostgreSQL's serialization failure) rolls back
//     and runs fn again, so fn must have no effect outside tx until Update
//     returns (reset anything it collects at its start).
//   - View runs fn in a read-only snapshot.
//   - Keys in a bucket are ordered bytewise; Scan and Last follow that order.
//   - Byte slices handed to fn or returned by Get are valid only until the
//     transaction ends; copy what outlives it.
package storage

import (
	"context"
	"errors"
)

// ErrStop, returned by a Scan callback, ends the scan without an error.
var ErrStop = errors.New("storage: stop scan")

// ErrClosed is returned by calls on a closed DB.
var ErrClosed = errors.New("storage: database is closed")

// ErrReadOnly is returned by a write in a View transaction.
var ErrReadOnly = errors.New("storage: write in a read-only transaction")

// ErrConflict is returned by Update when its transaction kept conflicting
// with others past the backend's retry limit. Nothing of it was written.
var ErrConflict = errors.New("storage: transaction conflict, retries exhausted")

// DB is a transactional store of buckets. It is safe for concurrent use.
type DB interface {
	// View runs fn in a read-only transaction.
	View(ctx context.Context, fn func(Tx) error) error
	// Update runs fn in a read-write transaction and commits it when fn
	// returns nil; an error from fn rolls it back and is returned as is.
	// fn may run more than once (see the package comment).
	Update(ctx context.Context, fn func(Tx) error) error
	// Close releases the database; calls after it return ErrClosed.
	Close() error
}

// Tx is one transaction.
type Tx interface {
	// Bucket returns the named bucket. Buckets need no creation: a bucket
	// nothing was written to is empty.
	Bucket(name string) Bucket
	// Context is the context the transaction was started with.
	Context() context.Context
}

// Bucket is an ordered collection of keys and values within a transaction.
type Bucket interface {
	// Get returns the value at key, or nil when there is none. A stored
	// value is never nil (an empty value reads as a zero-length slice).
	Get(key []byte) ([]byte, error)
	// Put stores value at key. key must not be empty.
	Put(key, value []byte) error
	// Delete removes key; deleting a missing key is not an error.
	Delete(key []byte) error
	// NextSequence returns the bucket's next sequence number, starting at
	// 1. Numbers are unique per bucket and follow commit order: a
	// transaction that took a number commits (or rolls back) before any
	// other can take the next, so a reader that has seen number n never
	// later finds a new n-1 (the change feed depends on it). A rolled-back
	// transaction may leave a gap.
	NextSequence() (uint64, error)
	// Scan calls fn for every key in [from, to) in ascending order; a nil
	// from starts at the first key, a nil to runs to the last. fn returning
	// ErrStop ends the scan and Scan returns nil; any other error ends it
	// and is returned.
	Scan(from, to []byte, fn func(k, v []byte) error) error
	// Last returns the greatest key below before (nil: the greatest key in
	// the bucket) and its value; k is nil when there is none.
	Last(before []byte) (k, v []byte, err error)
}

// MultiGetter is a Bucket that can read many keys at once: a backend on a
// database server reads them in one round trip. It is optional; callers use
// GetMany or Prefetch, which fall back to Get. GetMany's values are what
// Get would return one by one (this transaction's own writes included), nil
// where there is none. A backend that implements it answers later Gets of
// those keys in the same transaction from what it read, without another
// round trip (the transaction's snapshot cannot change under it).
type MultiGetter interface {
	GetMany(keys [][]byte) ([][]byte, error)
}

// GetMany returns the values at keys in b, nil where there is none: in one
// call when b is a MultiGetter, else with Get one by one.
func GetMany(b Bucket, keys [][]byte) ([][]byte, error) {
	if m, ok := b.(MultiGetter); ok {
		return m.GetMany(keys)
	}
	out := make([][]byte, len(keys))
	for i, k := range keys {
		v, err := b.Get(k)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// Prefetch tells b that keys are about to be read with Get in this
// transaction: a MultiGetter reads them all now, in one call, and answers
// their Gets from that; for any other bucket (bbolt's, whose Get is a
// memory read) it does nothing.
func Prefetch(b Bucket, keys [][]byte) error {
	if m, ok := b.(MultiGetter); ok && len(keys) > 0 {
		_, err := m.GetMany(keys)
		return err
	}
	return nil
}

// PrefixEnd returns the smallest key greater than every key starting with
// prefix, for Scan(prefix, PrefixEnd(prefix), ...); nil when there is none
// (prefix is empty or all 0xff).
func PrefixEnd(prefix []byte) []byte {
	end := append([]byte(nil), prefix...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}
