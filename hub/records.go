package hub

import (
	"maps"
	"slices"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// Tasks and orders are read with getTask and getOrder and written with
// saveTask and saveOrder, never through their buckets: inside an ingest
// transaction they are cached decoded (cacheTx), so that the events of a
// group that touch one task decode it once and encode it once.

// cacheTx is an ingest transaction whose tasks and orders are kept decoded
// from their first read; writes stay in the cache until flush writes each
// changed record once, through the functions that keep its indexes. It
// lives for one run of a transaction's function: a run again starts afresh.
type cacheTx struct {
	storage.Tx
	tasks  map[string]*cached[domain.Task]
	orders map[string]*cached[domain.Order]
	picks  map[string]*cached[pickRecord]
}

// cached is one record: ok false when there is none; dirty when changed.
type cached[T any] struct {
	v         T
	ok, dirty bool
}

func newCacheTx(tx storage.Tx) *cacheTx {
	return &cacheTx{Tx: tx, tasks: map[string]*cached[domain.Task]{}, orders: map[string]*cached[domain.Order]{},
		picks: map[string]*cached[pickRecord]{}}
}

// flush writes every changed record: tasks first, then orders (a task's
// index entries are made with its order as stored, and an order's moves
// its tasks' entries when it changes), then pick records.
func (c *cacheTx) flush() error {
	for _, id := range slices.Sorted(maps.Keys(c.tasks)) {
		if r := c.tasks[id]; r.dirty {
			if err := writeTask(c.Tx, r.v); err != nil {
				return err
			}
			r.dirty = false
		}
	}
	for _, id := range slices.Sorted(maps.Keys(c.orders)) {
		if r := c.orders[id]; r.dirty {
			if err := writeOrder(c.Tx, r.v); err != nil {
				return err
			}
			r.dirty = false
		}
	}
	for _, key := range slices.Sorted(maps.Keys(c.picks)) {
		if r := c.picks[key]; r.dirty {
			if err := putJSON(c.Tx.Bucket(bucketPickLines), key, r.v); err != nil {
				return err
			}
			r.dirty = false
		}
	}
	return nil
}

// lookup returns the cached record at key, reading it on first use.
func lookup[T any](m map[string]*cached[T], tx storage.Tx, bucket, key string) (*cached[T], error) {
	if r := m[key]; r != nil {
		return r, nil
	}
	v, ok, err := getJSON[T](tx.Bucket(bucket), key)
	if err != nil {
		return nil, err
	}
	r := &cached[T]{v: v, ok: ok}
	m[key] = r
	return r, nil
}

// getTask reads a task; ok is false when there is none.
func getTask(tx storage.Tx, id string) (domain.Task, bool, error) {
	c, isCache := tx.(*cacheTx)
	if !isCache {
		return getJSON[domain.Task](tx.Bucket(bucketTasks), id)
	}
	r, err := lookup(c.tasks, c.Tx, bucketTasks, id)
	if err != nil {
		return domain.Task{}, false, err
	}
	t := r.v
	t.Lines = slices.Clone(t.Lines) // the caller's to change
	return t, r.ok, nil
}

// mustTask is getTask for a task that must exist: a missing one is a
// not_found error.
func mustTask(tx storage.Tx, id string) (domain.Task, error) {
	t, ok, err := getTask(tx, id)
	if err == nil && !ok {
		err = notFound("task %q not found", id)
	}
	return t, err
}

// getOrder reads an order; ok is false when there is none.
func getOrder(tx storage.Tx, id string) (domain.Order, bool, error) {
	c, isCache := tx.(*cacheTx)
	if !isCache {
		return getJSON[domain.Order](tx.Bucket(bucketOrders), id)
	}
	r, err := lookup(c.orders, c.Tx, bucketOrders, id)
	if err != nil {
		return domain.Order{}, false, err
	}
	o := r.v
	o.Lines = slices.Clone(o.Lines)
	return o, r.ok, nil
}

// mustOrder is getOrder for an order that must exist.
func mustOrder(tx storage.Tx, id string) (domain.Order, error) {
	o, ok, err := getOrder(tx, id)
	if err == nil && !ok {
		err = notFound("order %q not found", id)
	}
	return o, err
}

// saveTask writes a task: into the cache of an ingest transaction, else
// at once with its index entries.
func saveTask(tx storage.Tx, t domain.Task) error {
	c, isCache := tx.(*cacheTx)
	if !isCache {
		return writeTask(tx, t)
	}
	t.Lines = slices.Clone(t.Lines)
	c.tasks[t.ID] = &cached[domain.Task]{v: t, ok: true, dirty: true}
	return nil
}

// saveOrder writes an order: into the cache of an ingest transaction,
// else at once, moving its tasks' index entries when that is needed.
func saveOrder(tx storage.Tx, o domain.Order) error {
	c, isCache := tx.(*cacheTx)
	if !isCache {
		return writeOrder(tx, o)
	}
	o.Lines = slices.Clone(o.Lines)
	c.orders[o.ID] = &cached[domain.Order]{v: o, ok: true, dirty: true}
	return nil
}

// getPickRecord reads an order line's pick record.
func getPickRecord(tx storage.Tx, key string) (pickRecord, bool, error) {
	c, isCache := tx.(*cacheTx)
	if !isCache {
		return getJSON[pickRecord](tx.Bucket(bucketPickLines), key)
	}
	r, err := lookup(c.picks, c.Tx, bucketPickLines, key)
	if err != nil {
		return pickRecord{}, false, err
	}
	return r.v, r.ok, nil
}

// savePickRecord writes an order line's pick record.
func savePickRecord(tx storage.Tx, key string, rec pickRecord) error {
	c, isCache := tx.(*cacheTx)
	if !isCache {
		return putJSON(tx.Bucket(bucketPickLines), key, rec)
	}
	c.picks[key] = &cached[pickRecord]{v: rec, ok: true, dirty: true}
	return nil
}
