package pgstore

import "github.com/jackc/pgx/v5"

// GetMany returns the values at keys (nil where there is none), as Get
// would one by one, reading every key this transaction has neither written
// nor read before in one round trip, and keeping what it read for later
// Gets (storage.MultiGetter).
func (b *bucket) GetMany(keys [][]byte) ([][]byte, error) {
	out := make([][]byte, len(keys))
	var ask [][]byte
	at := map[string][]int{} // key -> its places in keys
	for i, k := range keys {
		if w := b.t.writes.get(b.name, k); w != nil {
			if !w.deleted {
				out[i] = w.value
			}
			continue
		}
		if v, ok := b.t.reads.get(b.name, k); ok {
			out[i] = v
			continue
		}
		if _, dup := at[string(k)]; !dup {
			ask = append(ask, k)
		}
		at[string(k)] = append(at[string(k)], i)
	}
	if len(ask) == 0 {
		return out, b.t.usable()
	}
	err := b.t.send(func(q *pgx.Batch) { q.Queue(sqlGetMany, b.name, ask) }, func(br pgx.BatchResults) error {
		rs, err := br.Query()
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var k, v []byte
			if err := rs.Scan(&k, &v); err != nil {
				return err
			}
			if v == nil {
				v = []byte{}
			}
			for _, i := range at[string(k)] {
				out[i] = v
			}
		}
		return rs.Err()
	})
	if err != nil {
		return nil, err
	}
	for _, k := range ask {
		b.t.keep(b.name, k, out[at[string(k)][0]])
	}
	return out, nil
}

// readKey is a key read from the database in a bucket.
type readKey struct{ bucket, key string }

// readCache is what a transaction read from the database, by key (nil
// values for keys it found absent): a later Get of the same key answers
// from it, since the transaction's snapshot cannot change. Writes are
// looked up in the overlay first, so it never hides the transaction's own.
type readCache map[readKey][]byte

// get is key's value as read before (nil when absent) and whether it was.
func (c readCache) get(bucket string, key []byte) ([]byte, bool) {
	v, ok := c[readKey{bucket, string(key)}]
	return v, ok
}

// keep keeps what a read found at key for later Gets, unless the DB was
// opened WithoutReadCache.
func (t *txn) keep(bucket string, key, value []byte) {
	if !t.db.noReadCache {
		t.reads.put(bucket, key, value)
	}
}

// put keeps what a read found at key (nil: nothing).
func (c *readCache) put(bucket string, key, value []byte) {
	if *c == nil {
		*c = readCache{}
	}
	(*c)[readKey{bucket, string(key)}] = value
}
