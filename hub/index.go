package hub

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// Indexes: buckets derived from the records, so that what a write needs
// (the next open task, a user's held work, an order's tasks, totes and
// backorders, a location's counts) costs the size of the live work, not
// of the history. Each index entry is a function of one record (with its
// order's head, for a task); every write of such a record goes through one
// function (writeTask, writeOrder, saveCountTask, putTote, addBackorder,
// addCountRecord) that moves the entries from the record's old value to
// its new one in the same transaction. buildIndexes makes them all from
// the records, for a hub file written before them (see schema.go) and for
// the tests' check that no write path forgets one.
const (
	ixOpenTasks       = "ix_open_tasks"       // priority (8 bytes, ordered), task id -> order id: open tasks of live orders
	ixHeldTasks       = "ix_held_tasks"       // user id, NUL, task id -> "": unfinished tasks a user holds
	ixOrderTasks      = "ix_order_tasks"      // order id, NUL, task id -> "": every task of an order
	ixOpenCounts      = "ix_open_counts"      // rank (0 a recount, 1 any other), count task id -> "": open count tasks
	ixHeldCounts      = "ix_held_counts"      // user id, NUL, count task id -> "": unfinished count tasks a user holds
	ixBusyTotes       = "ix_busy_totes"       // tote -> order id: totes whose record says picked
	ixOrderTotes      = "ix_order_totes"      // order id, NUL, tote -> "": totes whose record names the order
	ixOrderBackorders = "ix_order_backorders" // order id, NUL, backorder key -> ""
	ixCountCycle      = "ix_count_cycle"      // cycle, NUL, location, NUL, record key -> "": counts of a location in a cycle
	ixLocationCounts  = "ix_location_counts"  // location, NUL, at (8 bytes), record key -> "": counts of a location by time
)

// indexBuckets lists every index bucket.
func indexBuckets() []string {
	return []string{ixOpenTasks, ixHeldTasks, ixOrderTasks, ixOpenCounts, ixHeldCounts, ixBusyTotes, ixOrderTotes,
		ixOrderBackorders, ixCountCycle, ixLocationCounts}
}

// entry is one index entry.
type entry struct{ bucket, key, value string }

// reindex moves a record's index entries from before to after: those of
// before not in after are deleted, the others written.
func reindex(tx storage.Tx, before, after []entry) error {
	for _, e := range before {
		if !containsKey(after, e) {
			if err := tx.Bucket(e.bucket).Delete([]byte(e.key)); err != nil {
				return err
			}
		}
	}
	for _, e := range after {
		if i := indexOfKey(before, e); i >= 0 && before[i].value == e.value {
			continue
		}
		if err := tx.Bucket(e.bucket).Put([]byte(e.key), []byte(e.value)); err != nil {
			return err
		}
	}
	return nil
}

func containsKey(es []entry, e entry) bool { return indexOfKey(es, e) >= 0 }

func indexOfKey(es []entry, e entry) int {
	for i, x := range es {
		if x.bucket == e.bucket && x.key == e.key {
			return i
		}
	}
	return -1
}

// join makes a key of parts separated by NUL.
func join(parts ...string) string {
	var b bytes.Buffer
	for i, p := range parts {
		if i > 0 {
			b.WriteByte(0)
		}
		b.WriteString(p)
	}
	return b.String()
}

// prefixKeys lists the rest of every key of bucket b starting with prefix
// and NUL, in key order.
func prefixKeys(b storage.Bucket, prefix string) ([]string, error) {
	p := []byte(prefix + "\x00")
	var out []string
	err := b.Scan(p, storage.PrefixEnd(p), func(k, _ []byte) error {
		out = append(out, string(k[len(p):]))
		return nil
	})
	return out, err
}

// taskHead and orderHead are what the indexes read of a task and an order.
type taskHead struct {
	ID      string            `json:"id"`
	OrderID string            `json:"order_id"`
	Status  domain.TaskStatus `json:"status"`
	UserID  string            `json:"user_id"`
}

type orderHead struct {
	ID       string             `json:"id"`
	Priority int                `json:"priority"`
	Status   domain.OrderStatus `json:"status"`
}

func headOf(t domain.Task) taskHead {
	return taskHead{ID: t.ID, OrderID: t.OrderID, Status: t.Status, UserID: t.UserID}
}

func orderHeadOf(o domain.Order) orderHead {
	return orderHead{ID: o.ID, Priority: o.Priority, Status: o.Status}
}

// taskEntries are a task's index entries; order is its order's head (ok
// false when the order is missing).
func taskEntries(t taskHead, order orderHead, ok bool) []entry {
	out := []entry{{ixOrderTasks, join(t.OrderID, t.ID), ""}}
	if t.UserID != "" && unfinished(t.Status) {
		out = append(out, entry{ixHeldTasks, join(t.UserID, t.ID), ""})
	}
	if t.Status == domain.TaskOpen && ok && order.Status != domain.OrderCancelled {
		out = append(out, entry{ixOpenTasks, orderedInt(order.Priority) + t.ID, t.OrderID})
	}
	return out
}

// writeTask writes a task and moves its index entries (see saveTask).
func writeTask(tx storage.Tx, t domain.Task) error {
	tasks := tx.Bucket(bucketTasks)
	old, had, err := getJSON[taskHead](tasks, t.ID)
	if err != nil {
		return err
	}
	order, ok, err := getJSON[orderHead](tx.Bucket(bucketOrders), t.OrderID)
	if err != nil {
		return err
	}
	var before []entry
	if had {
		oldOrder, oldOK := order, ok
		if old.OrderID != t.OrderID {
			if oldOrder, oldOK, err = getJSON[orderHead](tx.Bucket(bucketOrders), old.OrderID); err != nil {
				return err
			}
		}
		before = taskEntries(old, oldOrder, oldOK)
	}
	if err := putJSON(tasks, t.ID, t); err != nil {
		return err
	}
	return reindex(tx, before, taskEntries(headOf(t), order, ok))
}

// writeOrder writes an order; when its priority or whether it is
// cancelled changed, its tasks' index entries move with it (see saveOrder).
func writeOrder(tx storage.Tx, o domain.Order) error {
	orders := tx.Bucket(bucketOrders)
	old, had, err := getJSON[orderHead](orders, o.ID)
	if err != nil {
		return err
	}
	if err := putJSON(orders, o.ID, o); err != nil {
		return err
	}
	if err := noteFinished(tx, old, had, o); err != nil {
		return err
	}
	now := orderHeadOf(o)
	if had && old.Priority == now.Priority && (old.Status == domain.OrderCancelled) == (now.Status == domain.OrderCancelled) {
		return nil
	}
	ids, err := prefixKeys(tx.Bucket(ixOrderTasks), o.ID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		t, ok, err := getJSON[taskHead](tx.Bucket(bucketTasks), id)
		if err != nil || !ok {
			return err
		}
		if err := reindex(tx, taskEntries(t, old, had), taskEntries(t, now, true)); err != nil {
			return err
		}
	}
	return nil
}

// orderTasks loads every task of an order, by id.
func orderTasks(tx storage.Tx, orderID string) ([]domain.Task, error) {
	return indexedTasks(tx, ixOrderTasks, orderID)
}

// indexedTasks loads the tasks an index lists under prefix, in key order.
func indexedTasks(tx storage.Tx, index, prefix string) ([]domain.Task, error) {
	ids, err := prefixKeys(tx.Bucket(index), prefix)
	if err != nil {
		return nil, err
	}
	out := make([]domain.Task, 0, len(ids))
	for _, id := range ids {
		t, err := mustTask(tx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// countTaskEntries are a count task's index entries.
func countTaskEntries(t domain.CountTask) []entry {
	var out []entry
	if t.Status == domain.TaskOpen {
		rank := "1"
		if t.By == domain.CountByRecount {
			rank = "0"
		}
		out = append(out, entry{ixOpenCounts, rank + t.ID, ""})
	}
	if t.UserID != "" && unfinished(t.Status) {
		out = append(out, entry{ixHeldCounts, join(t.UserID, t.ID), ""})
	}
	return out
}

// saveCountTask writes a count task and moves its index entries.
func saveCountTask(tx storage.Tx, t domain.CountTask) error {
	b := tx.Bucket(bucketCountTasks)
	old, had, err := getJSON[domain.CountTask](b, t.ID)
	if err != nil {
		return err
	}
	var before []entry
	if had {
		before = countTaskEntries(old)
	}
	if err := putJSON(b, t.ID, t); err != nil {
		return err
	}
	return reindex(tx, before, countTaskEntries(t))
}

// toteEntries are a tote record's index entries.
func toteEntries(tote string, rec toteRecord) []entry {
	out := []entry{{ixOrderTotes, join(rec.OrderID, tote), ""}}
	if rec.State == "" || rec.State == domain.TotePicked {
		out = append(out, entry{ixBusyTotes, tote, rec.OrderID})
	}
	return out
}

// putTote writes a tote's record and moves its index entries.
func putTote(tx storage.Tx, tote string, rec toteRecord) error {
	b := tx.Bucket(bucketTotes)
	old, had, err := getJSON[toteRecord](b, tote)
	if err != nil {
		return err
	}
	var before []entry
	if had {
		before = toteEntries(tote, old)
	}
	if err := putJSON(b, tote, rec); err != nil {
		return err
	}
	return reindex(tx, before, toteEntries(tote, rec))
}

// backorderEntries are a backorder's index entries; key is its key.
func backorderEntries(key string, bo domain.Backorder) []entry {
	return []entry{{ixOrderBackorders, join(bo.OrderID, key), ""}}
}

// countRecordEntries are a count record's index entries; key is its key.
func countRecordEntries(key string, rec countRecord) []entry {
	at := string(binary.BigEndian.AppendUint64(nil, uint64(rec.At.UnixNano())))
	return []entry{
		{ixCountCycle, join(rec.Cycle, rec.Location, key), ""},
		{ixLocationCounts, join(rec.Location, at+key), ""},
	}
}

// lastCountedAt is when a location was last counted (ok false: never).
func lastCountedAt(tx storage.Tx, loc string) (time.Time, bool, error) {
	p := []byte(loc + "\x00")
	k, _, err := tx.Bucket(ixLocationCounts).Last(storage.PrefixEnd(p))
	if err != nil || k == nil || !bytes.HasPrefix(k, p) || len(k) < len(p)+8 {
		return time.Time{}, false, err
	}
	return time.Unix(0, int64(binary.BigEndian.Uint64(k[len(p):]))).UTC(), true, nil
}

// buildIndexes computes every index entry from the records.
func buildIndexes(tx storage.Tx) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for _, b := range indexBuckets() {
		out[b] = map[string]string{}
	}
	add := func(es []entry) {
		for _, e := range es {
			out[e.bucket][e.key] = e.value
		}
	}
	orders := tx.Bucket(bucketOrders)
	err := scanJSON(tx.Bucket(bucketTasks), nil, nil, func(_ []byte, t taskHead) error {
		o, ok, err := getJSON[orderHead](orders, t.OrderID)
		add(taskEntries(t, o, ok))
		return err
	})
	if err == nil {
		err = scanJSON(tx.Bucket(bucketCountTasks), nil, nil, func(_ []byte, t domain.CountTask) error {
			add(countTaskEntries(t))
			return nil
		})
	}
	if err == nil {
		err = scanJSON(tx.Bucket(bucketTotes), nil, nil, func(k []byte, rec toteRecord) error {
			add(toteEntries(string(k), rec))
			return nil
		})
	}
	if err == nil {
		err = scanJSON(tx.Bucket(bucketBackorders), nil, nil, func(k []byte, bo domain.Backorder) error {
			add(backorderEntries(string(k), bo))
			return nil
		})
	}
	if err == nil {
		err = scanJSON(tx.Bucket(bucketCountRecs), nil, nil, func(k []byte, rec countRecord) error {
			add(countRecordEntries(string(k), rec))
			return nil
		})
	}
	return out, err
}

// storedIndexes reads every index bucket as it is.
func storedIndexes(tx storage.Tx) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for _, name := range indexBuckets() {
		m := map[string]string{}
		err := tx.Bucket(name).Scan(nil, nil, func(k, v []byte) error {
			m[string(k)] = string(v)
			return nil
		})
		if err != nil {
			return nil, err
		}
		out[name] = m
	}
	return out, nil
}

// CheckIndexes rebuilds every index from the records and compares it with
// the stored one: an error names the first entry missing, stale or
// different. It reads in one snapshot; the tests call it after their
// scenarios, so a write path that forgets an index fails.
func (s *Store) CheckIndexes(ctx context.Context) error {
	return s.db.View(ctx, func(tx storage.Tx) error {
		want, err := buildIndexes(tx)
		if err != nil {
			return err
		}
		have, err := storedIndexes(tx)
		if err != nil {
			return err
		}
		for _, name := range indexBuckets() {
			for k, v := range want[name] {
				got, ok := have[name][k]
				switch {
				case !ok:
					return fmt.Errorf("index %s: entry %q is missing", name, k)
				case got != v:
					return fmt.Errorf("index %s: entry %q is %q, want %q", name, k, got, v)
				}
			}
			for k := range have[name] {
				if _, ok := want[name][k]; !ok {
					return fmt.Errorf("index %s: entry %q has no record", name, k)
				}
			}
		}
		return checkFinished(tx)
	})
}

// writeIndexes writes entries built by buildIndexes.
func writeIndexes(tx storage.Tx, ix map[string]map[string]string) error {
	for name, m := range ix {
		b := tx.Bucket(name)
		for k, v := range m {
			if err := b.Put([]byte(k), []byte(v)); err != nil {
				return err
			}
		}
	}
	return nil
}
