// Package kv holds the small bbolt helpers the device's sync packages share:
// sequence keys and JSON values.
package kv

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// SeqKey is the 8-byte big-endian key of a sequence number, so keys sort in
// sequence order.
func SeqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(make([]byte, 0, 8), seq) }

// Seq decodes a SeqKey; anything not 8 bytes long is 0.
func Seq(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

// Get decodes the JSON value at key in bucket into v, in a read
// transaction; found is false when there is none (or no such bucket).
func Get(db *bolt.DB, bucket []byte, key string, v any) (found bool, err error) {
	err = db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		if b == nil {
			return nil
		}
		raw := b.Get([]byte(key))
		if raw == nil {
			return nil
		}
		found = true
		if err := json.Unmarshal(raw, v); err != nil {
			return fmt.Errorf("%s %q: %w", bucket, key, err)
		}
		return nil
	})
	return found, err
}

// Put encodes v as JSON at key in b.
func Put(b *bolt.Bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %q: %w", key, err)
	}
	return b.Put(key, raw)
}
