package hub

import (
	"encoding/binary"
	"time"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// The pick log: one small record per pick confirmed (pick.line_picked), in
// time order, for the picking rates of the coordinator's figures (kpis.go).
// The picks of an order line are merged for the pack station (picks.go);
// this keeps each confirmation with its time, user and zone. Maintain
// deletes the records older than the site's retention (archive_after_days):
// the log stays the size of the retention, and rates are read within it.
const (
	bucketPickLog = "pick_log" // logTimeKey(at), device id, NUL, event id -> pickLogEntry
)

// pickLogEntry is one pick confirmed: Units of an order line taken from a
// location, by a user at a device, at the event's time.
type pickLogEntry struct {
	At       time.Time `json:"at"`
	UserID   string    `json:"user"`
	DeviceID string    `json:"device"`
	Zone     string    `json:"zone,omitempty"` // of the location; empty for a location the hub does not know
	Location string    `json:"location"`
	Units    int       `json:"units"`
	OrderID  string    `json:"order"`
	Line     int       `json:"line"`
}

// logTimeKey is t as 8 bytes that sort as the times do (Unix nanoseconds,
// sign bit flipped), the prefix of every pick log key.
func logTimeKey(t time.Time) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(t.UnixNano())^(1<<63))
}

// logPick records a pick.line_picked event in the pick log. The key is
// unique: an event is applied once per (device, event id).
func logPick(tx storage.Tx, ev domain.Event, orderID, location string, line, units int) error {
	loc, _, err := getJSON[domain.Location](tx.Bucket(bucketLocations), location)
	if err != nil {
		return err
	}
	e := pickLogEntry{At: ev.At.UTC(), UserID: ev.UserID, DeviceID: ev.DeviceID, Zone: loc.Zone, Location: location,
		Units: units, OrderID: orderID, Line: line}
	key := append(append(append(logTimeKey(ev.At), ev.DeviceID...), 0), ev.ID...)
	return putJSON(tx.Bucket(bucketPickLog), string(key), e)
}

// pickLogBetween lists the picks confirmed in [from, to), in time order.
func pickLogBetween(tx storage.Tx, from, to time.Time) ([]pickLogEntry, error) {
	out := []pickLogEntry{}
	err := scanJSON(tx.Bucket(bucketPickLog), logTimeKey(from), logTimeKey(to), func(_ []byte, e pickLogEntry) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

// prunePickLog deletes up to maintainBatch pick log records older than
// cutoff, oldest first.
func prunePickLog(tx storage.Tx, cutoff time.Time) (int, error) {
	b := tx.Bucket(bucketPickLog)
	keys, err := firstKeys(b, nil, logTimeKey(cutoff))
	for _, k := range keys {
		if err == nil {
			err = b.Delete(k)
		}
	}
	return len(keys), err
}
