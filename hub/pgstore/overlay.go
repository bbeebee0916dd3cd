package pgstore

import (
	"bytes"
	"slices"
	"sort"
)

// entry is one buffered write: a value, or a deletion.
type entry struct {
	key     []byte
	value   []byte // never nil for a Put
	deleted bool
}

// bucketWrites are one bucket's buffered writes, by key and in key order.
type bucketWrites struct {
	byKey  map[string]*entry
	order  []*entry // every entry; sorted by key when sorted is true
	sorted bool
}

// overlay is a transaction's buffered writes, by bucket. Reads consult it
// before the database; commit sends it.
type overlay struct {
	buckets map[string]*bucketWrites
}

// get is key's buffered write, or nil.
func (o *overlay) get(bucket string, key []byte) *entry {
	bw := o.buckets[bucket]
	if bw == nil {
		return nil
	}
	return bw.byKey[string(key)]
}

// set buffers a write of key (a copy of key and value).
func (o *overlay) set(bucket string, key, value []byte, deleted bool) {
	if o.buckets == nil {
		o.buckets = map[string]*bucketWrites{}
	}
	bw := o.buckets[bucket]
	if bw == nil {
		bw = &bucketWrites{byKey: map[string]*entry{}, sorted: true}
		o.buckets[bucket] = bw
	}
	if !deleted {
		value = append(make([]byte, 0, len(value)), value...)
	}
	if e := bw.byKey[string(key)]; e != nil {
		e.value, e.deleted = value, deleted
		return
	}
	e := &entry{key: bytes.Clone(key), value: value, deleted: deleted}
	if n := len(bw.order); n > 0 && bw.sorted && bytes.Compare(bw.order[n-1].key, e.key) > 0 {
		bw.sorted = false
	}
	bw.byKey[string(key)] = e
	bw.order = append(bw.order, e)
}

func (o *overlay) put(bucket string, key, value []byte) { o.set(bucket, key, value, false) }
func (o *overlay) delete(bucket string, key []byte)     { o.set(bucket, key, nil, true) }

// inOrder is bucket's entries in key order.
func (o *overlay) inOrder(bucket string) []*entry {
	bw := o.buckets[bucket]
	if bw == nil {
		return nil
	}
	if !bw.sorted {
		slices.SortFunc(bw.order, func(a, b *entry) int { return bytes.Compare(a.key, b.key) })
		bw.sorted = true
	}
	return bw.order
}

// ceiling is bucket's first entry with a key at or after from and before
// to (nil: no end), deleted or not; nil when there is none.
func (o *overlay) ceiling(bucket string, from, to []byte) *entry {
	es := o.inOrder(bucket)
	i := sort.Search(len(es), func(i int) bool { return bytes.Compare(es[i].key, from) >= 0 })
	if i == len(es) || to != nil && bytes.Compare(es[i].key, to) >= 0 {
		return nil
	}
	return es[i]
}

// floor is bucket's last entry that is not a deletion with a key before
// before (nil: the last); nil when there is none.
func (o *overlay) floor(bucket string, before []byte) *entry {
	es := o.inOrder(bucket)
	i := len(es)
	if before != nil {
		i = sort.Search(len(es), func(i int) bool { return bytes.Compare(es[i].key, before) >= 0 })
	}
	for i--; i >= 0; i-- {
		if !es[i].deleted {
			return es[i]
		}
	}
	return nil
}

// columns are writes as parallel arrays, for unnest.
type columns struct {
	buckets []string
	keys    [][]byte
	values  [][]byte
}

// flatten is every buffered Put and every Delete, in (bucket, key) order
// so concurrent transactions lock rows in one order.
func (o *overlay) flatten() (puts, dels columns) {
	names := make([]string, 0, len(o.buckets))
	for name := range o.buckets {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, e := range o.inOrder(name) {
			if e.deleted {
				dels.buckets = append(dels.buckets, name)
				dels.keys = append(dels.keys, e.key)
				continue
			}
			puts.buckets = append(puts.buckets, name)
			puts.keys = append(puts.keys, e.key)
			puts.values = append(puts.values, e.value)
		}
	}
	return puts, dels
}
