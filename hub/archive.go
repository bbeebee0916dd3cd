package hub

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// The archive: work finished longer ago than the site's retention (orders
// shipped or cancelled, with their tasks, shipment, picks and backorders;
// and the changes feed) moves out of the live buckets into one compact
// record per order, in bounded batches in the background, so the live
// buckets and their indexes stay the size of the live work. Reads of an
// archived order, task or shipment by id still answer from the archive.
const (
	bucketFinished       = "finished"        // finish time (8 bytes, unix seconds), order id -> "": finished orders, oldest first
	bucketArchive        = "archive"         // order id -> archivedOrder
	bucketArchiveTasks   = "archive_tasks"   // task id -> order id, of archived orders
	bucketArchiveChanges = "archive_changes" // big-endian sequence -> api.Change, moved from changes
	metaArchiveAfter     = "archive_after"   // big-endian seconds: the site's retention
)

const (
	// DefaultArchiveAfter is the retention of a site that sets none.
	DefaultArchiveAfter = 30 * 24 * time.Hour
	// DefaultMaintainEvery is how often the hub archives in the background.
	DefaultMaintainEvery = time.Minute
	// maintainBatch bounds what one maintenance transaction moves or deletes.
	maintainBatch = 200
)

// archivedOrder is an archived order with everything that was live of it.
type archivedOrder struct {
	Order      domain.Order       `json:"order"`
	Tasks      []domain.Task      `json:"tasks"`
	Shipment   *domain.Shipment   `json:"shipment,omitempty"`
	Picked     []domain.PickLine  `json:"picked,omitempty"`
	Backorders []domain.Backorder `json:"backorders,omitempty"`
	ArchivedAt time.Time          `json:"archived_at"`
}

// finishedStatus reports whether an order's work is over: shipped or cancelled.
func finishedStatus(s domain.OrderStatus) bool { return s == domain.OrderCancelled || s.Shipped() }

func finishedKey(at time.Time, orderID string) []byte {
	return append(binary.BigEndian.AppendUint64(nil, uint64(max(at.Unix(), 0))), orderID...)
}

// noteFinished records when an order's work ended, when it ends now (see
// writeOrder): the archive's clock starts there.
func noteFinished(tx storage.Tx, before orderHead, had bool, after domain.Order) error {
	if !finishedStatus(after.Status) || (had && finishedStatus(before.Status)) {
		return nil
	}
	return tx.Bucket(bucketFinished).Put(finishedKey(time.Now(), after.ID), nil)
}

// seedArchiveAfter keeps the site's retention.
func seedArchiveAfter(meta storage.Bucket, site domain.Site) error {
	if site.ArchiveAfterDays <= 0 {
		return nil
	}
	d := time.Duration(site.ArchiveAfterDays) * 24 * time.Hour
	return meta.Put([]byte(metaArchiveAfter), binary.BigEndian.AppendUint64(nil, uint64(d/time.Second)))
}

// archiveAfter is the retention: the option's, else the site's, else the default.
func (s *Store) archiveAfter(tx storage.Tx) (time.Duration, error) {
	if s.opts.archiveAfter > 0 {
		return s.opts.archiveAfter, nil
	}
	raw, err := tx.Bucket(bucketMeta).Get([]byte(metaArchiveAfter))
	if err != nil || len(raw) != 8 {
		return DefaultArchiveAfter, err
	}
	return time.Duration(binary.BigEndian.Uint64(raw)) * time.Second, nil
}

// MaintainReport says what one maintenance pass did.
type MaintainReport struct {
	Orders  int // orders archived, with their work
	Changes int // changes archived
	Old     int // records of an older schema deleted
	PickLog int // pick log records deleted (kpis_log.go)
}

// Maintain does the background work of the site of ctx once, in
// transactions of at most maintainBatch records each (other writes go
// between them): it empties the buckets an older schema left, and archives
// the work finished, and the changes made, before now less the retention;
// the pick log's records older than that are deleted.
// The hub runs it for every site every DefaultMaintainEvery
// (WithMaintainEvery).
func (s *Store) Maintain(ctx context.Context, now time.Time) (MaintainReport, error) {
	var rep MaintainReport
	for _, b := range []string{bucketEventsV2, bucketEventDigestsV2, bucketSeqLogV2} {
		n, err := s.inBatches(ctx, func(tx storage.Tx) (int, error) { return deleteSome(tx.Bucket(b)) })
		rep.Old += n
		if err != nil {
			return rep, err
		}
	}
	var cutoff time.Time
	err := s.db.View(ctx, func(tx storage.Tx) error {
		after, err := s.archiveAfter(tx)
		cutoff = now.Add(-after)
		return err
	})
	if err != nil {
		return rep, err
	}
	rep.Orders, err = s.inBatches(ctx, func(tx storage.Tx) (int, error) { return archiveOrders(tx, cutoff, now) })
	if err != nil {
		return rep, err
	}
	rep.Changes, err = s.inBatches(ctx, func(tx storage.Tx) (int, error) { return archiveChanges(tx, cutoff) })
	if err != nil {
		return rep, err
	}
	rep.PickLog, err = s.inBatches(ctx, func(tx storage.Tx) (int, error) { return prunePickLog(tx, cutoff) })
	return rep, err
}

// inBatches runs batch in transactions until one does less than a full batch.
func (s *Store) inBatches(ctx context.Context, batch func(storage.Tx) (int, error)) (int, error) {
	total := 0
	for {
		var n int
		err := s.db.Update(ctx, func(tx storage.Tx) error {
			var err error
			n, err = batch(tx)
			return err
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < maintainBatch {
			return total, nil
		}
	}
}

// firstKeys lists up to maintainBatch keys of b in [from, to), in order.
func firstKeys(b storage.Bucket, from, to []byte) ([][]byte, error) {
	var keys [][]byte
	err := b.Scan(from, to, func(k, _ []byte) error {
		keys = append(keys, bytes.Clone(k))
		if len(keys) == maintainBatch {
			return storage.ErrStop
		}
		return nil
	})
	return keys, err
}

// deleteSome deletes up to maintainBatch keys of b.
func deleteSome(b storage.Bucket) (int, error) {
	keys, err := firstKeys(b, nil, nil)
	for _, k := range keys {
		if err == nil {
			err = b.Delete(k)
		}
	}
	return len(keys), err
}

// archiveOrders archives up to maintainBatch orders finished before cutoff.
func archiveOrders(tx storage.Tx, cutoff, now time.Time) (int, error) {
	b := tx.Bucket(bucketFinished)
	keys, err := firstKeys(b, nil, finishedKey(cutoff, ""))
	if err != nil {
		return 0, err
	}
	for _, k := range keys {
		if err := archiveOrder(tx, string(k[8:]), now); err != nil {
			return 0, err
		}
		if err := b.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(keys), nil
}

// archiveOrder moves an order and its work into one archive record.
func archiveOrder(tx storage.Tx, orderID string, now time.Time) error {
	order, ok, err := getOrder(tx, orderID)
	if err != nil || !ok {
		return err
	}
	rec := archivedOrder{Order: order, ArchivedAt: now.UTC()}
	if rec.Tasks, err = orderTasks(tx, orderID); err != nil {
		return err
	}
	if ship, ok, err := getJSON[domain.Shipment](tx.Bucket(bucketShipments), orderID); err != nil {
		return err
	} else if ok {
		rec.Shipment = &ship
	}
	if rec.Picked, err = pickedLines(tx, orderID); err != nil {
		return err
	}
	if rec.Backorders, err = orderBackorders(tx, orderID); err != nil {
		return err
	}
	if err := putJSON(tx.Bucket(bucketArchive), orderID, rec); err != nil {
		return err
	}
	for _, t := range rec.Tasks {
		if err := tx.Bucket(bucketArchiveTasks).Put([]byte(t.ID), []byte(orderID)); err != nil {
			return err
		}
		if err := deleteTask(tx, t); err != nil {
			return err
		}
	}
	if err := deletePicks(tx, orderID); err != nil {
		return err
	}
	if err := deleteBackorders(tx, orderID); err != nil {
		return err
	}
	if err := tx.Bucket(bucketShipments).Delete([]byte(orderID)); err != nil {
		return err
	}
	return tx.Bucket(bucketOrders).Delete([]byte(orderID))
}

// deleteTask deletes a task with its index entries and holder.
func deleteTask(tx storage.Tx, t domain.Task) error {
	order, ok, err := getJSON[orderHead](tx.Bucket(bucketOrders), t.OrderID)
	if err != nil {
		return err
	}
	if err := reindex(tx, taskEntries(headOf(t), order, ok), nil); err != nil {
		return err
	}
	if err := tx.Bucket(bucketHolders).Delete([]byte(t.ID)); err != nil {
		return err
	}
	return tx.Bucket(bucketTasks).Delete([]byte(t.ID))
}

// deletePicks deletes an order's pick records and serials.
func deletePicks(tx storage.Tx, orderID string) error {
	prefix := []byte(orderID + "\x00")
	for _, name := range []string{bucketPickLines, bucketPickSerials} {
		for {
			keys, err := firstKeys(tx.Bucket(name), prefix, storage.PrefixEnd(prefix))
			if err != nil {
				return err
			}
			for _, k := range keys {
				if err := tx.Bucket(name).Delete(k); err != nil {
					return err
				}
			}
			if len(keys) < maintainBatch {
				break
			}
		}
	}
	return nil
}

// deleteBackorders deletes an order's backorders with their index entries.
func deleteBackorders(tx storage.Tx, orderID string) error {
	keys, err := prefixKeys(tx.Bucket(ixOrderBackorders), orderID)
	if err != nil {
		return err
	}
	for _, k := range keys {
		bo, ok, err := getJSON[domain.Backorder](tx.Bucket(bucketBackorders), k)
		if err != nil || !ok {
			return err
		}
		if err := reindex(tx, backorderEntries(k, bo), nil); err != nil {
			return err
		}
		if err := tx.Bucket(bucketBackorders).Delete([]byte(k)); err != nil {
			return err
		}
	}
	return nil
}

// archiveChanges moves up to maintainBatch changes made before cutoff,
// oldest first, to the archive.
func archiveChanges(tx storage.Tx, cutoff time.Time) (int, error) {
	var moved [][]byte
	err := scanJSON(tx.Bucket(bucketChanges), nil, nil, func(k []byte, ch api.Change) error {
		if !ch.At.Before(cutoff) || len(moved) == maintainBatch {
			return storage.ErrStop
		}
		moved = append(moved, bytes.Clone(k))
		return nil
	})
	for _, k := range moved {
		v, gerr := tx.Bucket(bucketChanges).Get(k)
		if err == nil {
			err = gerr
		}
		if err == nil {
			err = tx.Bucket(bucketArchiveChanges).Put(k, v)
		}
		if err == nil {
			err = tx.Bucket(bucketChanges).Delete(k)
		}
	}
	return len(moved), err
}

// upgradeFinished notes the finished orders of a database of schema
// version 3 as finished now: they are archived a retention from now.
func upgradeFinished(tx storage.Tx) error {
	return scanJSON(tx.Bucket(bucketOrders), nil, nil, func(_ []byte, o orderHead) error {
		if !finishedStatus(o.Status) {
			return nil
		}
		return tx.Bucket(bucketFinished).Put(finishedKey(time.Now(), o.ID), nil)
	})
}

// checkFinished compares the finished orders with the finished bucket:
// each finished order once, and nothing else.
func checkFinished(tx storage.Tx) error {
	want := map[string]bool{}
	err := scanJSON(tx.Bucket(bucketOrders), nil, nil, func(_ []byte, o orderHead) error {
		want[o.ID] = finishedStatus(o.Status)
		return nil
	})
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	err = tx.Bucket(bucketFinished).Scan(nil, nil, func(k, _ []byte) error {
		id := string(k[8:])
		if !want[id] || seen[id] {
			return fmt.Errorf("finished: order %q is listed but not finished, or listed twice", id)
		}
		seen[id] = true
		return nil
	})
	if err != nil {
		return err
	}
	for id, fin := range want {
		if fin && !seen[id] {
			return fmt.Errorf("finished: order %q is finished but not listed", id)
		}
	}
	return nil
}

// archived returns an archived order's record.
func archived(tx storage.Tx, orderID string) (archivedOrder, bool, error) {
	return getJSON[archivedOrder](tx.Bucket(bucketArchive), orderID)
}

// orderAnywhere reads a live order, or else an archived one.
func orderAnywhere(tx storage.Tx, id string) (domain.Order, bool, error) {
	o, ok, err := getOrder(tx, id)
	if ok || err != nil {
		return o, ok, err
	}
	rec, ok, err := archived(tx, id)
	return rec.Order, ok, err
}

// taskAnywhere reads a live task, or else an archived one.
func taskAnywhere(tx storage.Tx, id string) (domain.Task, bool, error) {
	t, ok, err := getTask(tx, id)
	if ok || err != nil {
		return t, ok, err
	}
	orderID, err := tx.Bucket(bucketArchiveTasks).Get([]byte(id))
	if err != nil || orderID == nil {
		return t, false, err
	}
	rec, ok, err := archived(tx, string(orderID))
	for _, at := range rec.Tasks {
		if at.ID == id {
			return at, ok, err
		}
	}
	return t, false, err
}

// maintainLoop runs Maintain every interval until stop is closed.
func (s *Store) maintainLoop(every time.Duration) {
	defer close(s.maintained)
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stopMaintain:
			return
		case now := <-t.C:
			ctx, cancel := context.WithCancel(context.Background())
			go func() {
				select {
				case <-s.stopMaintain:
				case <-ctx.Done():
				}
				cancel()
			}()
			if err := s.maintainSites(ctx, now); err != nil && ctx.Err() == nil { // hub/site_registry.go
				s.opts.log.Error("hub: maintenance", "err", err)
			}
			cancel()
		}
	}
}
