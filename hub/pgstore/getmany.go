package pgstore

import "github.com/jackc/pgx/v5"

// GetMany returns the values at keys (nil where there is none), as Get
// would one by one, reading every key this transaction has not written in
// one round trip. It is not part of the storage contract: a caller finds
// it with a type assertion and falls back to Get.
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
	return out, nil
}
