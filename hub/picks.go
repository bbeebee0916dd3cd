package hub

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// What picking confirmed, kept for the pack station, one record per order
// line and one per serial, so that a pick reads and writes its line's
// record and its own serials only, however much the order holds.
const (
	bucketPickLines   = "pick_lines"   // pickLineKey(order, line) -> pickRecord: quantities, lots, tote
	bucketPickSerials = "pick_serials" // pickLineKey(order, line), big-endian n -> serial: the line's serials in the order picked
	bucketPicksV1     = "picks"        // before schema version 2: order id -> []domain.PickLine
)

// pickRecord is one order line's merged picks; its serials are in
// bucketPickSerials, Serials of them.
type pickRecord struct {
	domain.PickLine
	SerialCount uint64 `json:"serial_count,omitempty"`
}

// pickLineKey orders an order's lines by number: order id, NUL, the line
// number (8 bytes, ordered).
func pickLineKey(orderID string, line int) string {
	return orderID + "\x00" + orderedInt(line)
}

// orderedInt is n as 8 bytes that sort as the numbers do.
func orderedInt(n int) string {
	return string(binary.BigEndian.AppendUint64(nil, uint64(int64(n))^(1<<63)))
}

// recordPick merges a pick or short of a task line into its order line's
// record, appends its serials, and notes the tote.
func recordPick(tx storage.Tx, ev domain.Event, task domain.Task, p domain.PickLine) error {
	key := pickLineKey(task.OrderID, p.Line)
	rec, ok, err := getPickRecord(tx, key)
	if err != nil {
		return err
	}
	if !ok {
		rec = pickRecord{PickLine: domain.PickLine{TaskID: task.ID, Line: p.Line, SKU: p.SKU}}
	}
	tote := cmp.Or(p.Tote, task.Tote)
	rec.Location = cmp.Or(p.Location, rec.Location)
	rec.Tote = cmp.Or(tote, rec.Tote)
	rec.Reason = cmp.Or(p.Reason, rec.Reason)
	rec.Picked += p.Picked
	rec.Short += p.Short
	rec.Lots = mergeLots(slices.Clone(rec.Lots), p.Lots)
	for _, s := range p.Serials {
		k := binary.BigEndian.AppendUint64([]byte(key+"\x00"), rec.SerialCount)
		if err := tx.Bucket(bucketPickSerials).Put(k, []byte(s)); err != nil {
			return err
		}
		rec.SerialCount++
	}
	if err := savePickRecord(tx, key, rec); err != nil {
		return err
	}
	return noteTote(tx, tote, task.OrderID, ev.At)
}

// mergeLots adds more to lots, lot by lot.
func mergeLots(lots, more []domain.LotQty) []domain.LotQty {
	for _, m := range more {
		if i := slices.IndexFunc(lots, func(l domain.LotQty) bool { return l.Lot == m.Lot }); i >= 0 {
			lots[i].Qty += m.Qty
		} else {
			lots = append(lots, m)
		}
	}
	return lots
}

// pickedLines is what picking confirmed of an order, a merged record per
// line in line order, with its serials; nil when nothing was picked.
func pickedLines(tx storage.Tx, orderID string) ([]domain.PickLine, error) {
	var out []domain.PickLine
	prefix := []byte(orderID + "\x00")
	err := scanJSON(tx.Bucket(bucketPickLines), prefix, storage.PrefixEnd(prefix), func(k []byte, rec pickRecord) error {
		if len(k) != len(prefix)+8 {
			return nil // another order whose id starts with this one and a NUL
		}
		line := rec.PickLine
		if rec.SerialCount > 0 {
			sp := append(append([]byte(nil), k...), 0)
			err := tx.Bucket(bucketPickSerials).Scan(sp, storage.PrefixEnd(sp), func(_, v []byte) error {
				line.Serials = append(line.Serials, string(v))
				return nil
			})
			if err != nil {
				return err
			}
		}
		out = append(out, line)
		return nil
	})
	return out, err
}

// upgradePicks moves the picks of a database of schema version 1 (a record
// per order) into a record per line and one per serial.
func upgradePicks(tx storage.Tx) error {
	old := tx.Bucket(bucketPicksV1)
	type orderPicks struct {
		orderID string
		lines   []domain.PickLine
	}
	var all []orderPicks
	err := scanJSON(old, nil, nil, func(k []byte, lines []domain.PickLine) error {
		all = append(all, orderPicks{string(k), lines})
		return nil
	})
	if err != nil {
		return err
	}
	for _, op := range all {
		for _, l := range op.lines {
			key := pickLineKey(op.orderID, l.Line)
			rec := pickRecord{PickLine: l, SerialCount: uint64(len(l.Serials))}
			rec.Serials = nil
			for i, s := range l.Serials {
				k := binary.BigEndian.AppendUint64([]byte(key+"\x00"), uint64(i))
				if err := tx.Bucket(bucketPickSerials).Put(k, []byte(s)); err != nil {
					return err
				}
			}
			if err := putJSON(tx.Bucket(bucketPickLines), key, rec); err != nil {
				return fmt.Errorf("picks of order %s: %w", op.orderID, err)
			}
		}
		if err := old.Delete([]byte(op.orderID)); err != nil {
			return err
		}
	}
	return nil
}
