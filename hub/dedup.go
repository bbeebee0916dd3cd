package hub

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// Exactly-once in storage that does not grow with a device's history: the
// device's sequence watermark (deviceRecord.LastSeq, the last number taken
// in order) and a window of the outcomes of its last DedupWindow sequence
// numbers. The README's "Exactly once, in bounded storage" section has the
// proof; in short, a device's sender has at most one batch (of at most
// MaxBatchEvents events) in flight past the events it has seen answered,
// so every event it may send again has a number within the window, where
// its recorded answer is; a number below the window can only be an event
// taken long ago, and is answered duplicate without being applied.
const (
	// DedupWindow is how many of a device's last sequence numbers keep
	// their events' outcomes: at least MaxBatchEvents.
	DedupWindow = MaxBatchEvents
	// bucketDedup: eventKey(device, event id) -> dedupRecord.
	bucketDedup = "dedup"
	// bucketDedupSeq: windowKey(device, seq, event id) -> "t" for an event
	// taken in order, "" for one refused for reusing a number; in sequence
	// order, for pruning and for DeviceLog.
	bucketDedupSeq = "dedup_seq"
)

// Buckets of schema version 2 and before: (device, event id) -> outcome,
// digest and (device, seq) -> event id, kept forever. Version 3 copies each
// device's window from them, and the maintenance loop empties them.
const (
	bucketEventsV2       = "events"
	bucketEventDigestsV2 = "event_digests"
	bucketSeqLogV2       = "seq_log"
)

// dedupRecord is the recorded outcome of an event with an id, and a digest
// of what it said (an id arriving again with other contents is a conflict).
type dedupRecord struct {
	Seq     uint64 `json:"seq"`
	Status  string `json:"status"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
	Digest  string `json:"digest,omitempty"`
}

// eventKey is the dedup key of an event: device id, NUL, event id.
func eventKey(device, id string) []byte {
	return []byte(device + "\x00" + id)
}

// windowKey orders a device's recorded events by sequence number: device
// id, NUL, big-endian seq, NUL, event id ("" for an event without a usable id).
func windowKey(device string, seq uint64, id string) []byte {
	k := binary.BigEndian.AppendUint64([]byte(device+"\x00"), seq)
	return append(append(k, 0), id...)
}

// usableID reports whether an event id can be remembered.
func usableID(id string) bool { return id != "" && len(id) <= maxEventIDLen }

// seenBefore returns the recorded answer for an event delivered before
// within the window, for this delivery: event_conflict when its contents
// (digest, see eventDigest) differ.
func seenBefore(tx storage.Tx, ev domain.Event, digest string) (res api.EventResult, seen bool, err error) {
	if !usableID(ev.ID) {
		return res, false, nil
	}
	rec, seen, err := getJSON[dedupRecord](tx.Bucket(bucketDedup), string(eventKey(ev.DeviceID, ev.ID)))
	if err != nil || !seen {
		return res, false, err
	}
	if rec.Digest != "" && rec.Digest != digest {
		return conflictResult(ev), true, nil
	}
	res = api.EventResult{ID: ev.ID, Seq: ev.Seq, Status: rec.Status, Code: rec.Code, Message: rec.Message}
	if res.Status == api.StatusApplied {
		res.Status = api.StatusDuplicate
	}
	return res, true, nil
}

// prefetchDedup reads the batch's exactly-once records at once where the
// backend can (storage.Prefetch: one round trip on PostgreSQL, nothing on
// bbolt), so that seenBefore's read of each costs no round trip of its own.
// seenBefore still reads each through Get, which sees the records this
// transaction wrote since (an id sent twice in one batch or group).
func prefetchDedup(tx storage.Tx, req api.IngestRequest) error {
	keys := make([][]byte, 0, len(req.Events))
	for _, ev := range req.Events {
		if usableID(ev.ID) {
			keys = append(keys, eventKey(ev.DeviceID, ev.ID))
		}
	}
	return storage.Prefetch(tx.Bucket(bucketDedup), keys)
}

// recordOutcome keeps an event's answer in the window: under (device, event
// id) when it has a usable id, and under its sequence number, taken in
// order or refused for reusing one.
func recordOutcome(tx storage.Tx, ev domain.Event, res api.EventResult, taken bool, digest string) error {
	id, mark := "", ""
	if taken {
		mark = "t"
	}
	if usableID(ev.ID) {
		id = ev.ID
		rec := dedupRecord{Seq: ev.Seq, Status: res.Status, Code: res.Code, Message: res.Message, Digest: digest}
		if err := putJSON(tx.Bucket(bucketDedup), string(eventKey(ev.DeviceID, ev.ID)), rec); err != nil {
			return err
		}
	} else if !taken {
		return nil // nothing to remember it under
	}
	return tx.Bucket(bucketDedupSeq).Put(windowKey(ev.DeviceID, ev.Seq, id), []byte(mark))
}

// ancientResult answers an event whose number is below the device's
// window and whose id the window does not hold: the hub took that number
// long ago (no sender the hub serves can hold an event it has not seen
// answered that far back), so this is a late copy of an event taken then.
// Nothing is applied.
func ancientResult(ev domain.Event, lastSeq uint64) api.EventResult {
	return api.EventResult{ID: ev.ID, Seq: ev.Seq, Status: api.StatusDuplicate,
		Message: fmt.Sprintf("sequence number %d was taken long ago (the hub is at %d and keeps the outcomes of the last %d); nothing was applied", ev.Seq, lastSeq, DedupWindow)}
}

// pruneWindow forgets a device's outcomes below its window: sequence
// numbers up to lastSeq-DedupWindow. Each is deleted once, so the cost is
// one deletion per event recorded.
func pruneWindow(tx storage.Tx, device string, lastSeq uint64) error {
	if lastSeq <= DedupWindow {
		return nil
	}
	from := []byte(device + "\x00")
	to := binary.BigEndian.AppendUint64([]byte(device+"\x00"), lastSeq-DedupWindow+1)
	var old [][]byte
	err := tx.Bucket(bucketDedupSeq).Scan(from, to, func(k, _ []byte) error {
		old = append(old, bytes.Clone(k))
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range old {
		if len(k) < len(from)+9 || k[len(from)+8] != 0 {
			continue // another device's, whose id starts with this one and a NUL
		}
		if err := tx.Bucket(bucketDedupSeq).Delete(k); err != nil {
			return err
		}
		if id := k[len(from)+9:]; len(id) > 0 {
			if err := tx.Bucket(bucketDedup).Delete(eventKey(device, string(id))); err != nil {
				return err
			}
		}
	}
	return nil
}

// TakenEvent is one event the hub took from a device, in sequence order.
type TakenEvent struct {
	Seq uint64
	ID  string
}

// DeviceLog lists the events taken from a device (applied or rejected) in
// its window, in sequence order: the last DedupWindow sequence numbers.
// Older ones are forgotten (see LastSeq for how far the device is).
func (s *Store) DeviceLog(ctx context.Context, deviceID string) ([]TakenEvent, error) {
	var out []TakenEvent
	prefix := []byte(deviceID + "\x00")
	err := s.db.View(ctx, func(tx storage.Tx) error {
		return tx.Bucket(bucketDedupSeq).Scan(prefix, storage.PrefixEnd(prefix), func(k, v []byte) error {
			if len(k) >= len(prefix)+9 && k[len(prefix)+8] == 0 && string(v) == "t" {
				out = append(out, TakenEvent{Seq: binary.BigEndian.Uint64(k[len(prefix):]), ID: string(k[len(prefix)+9:])})
			}
			return nil
		})
	})
	return out, err
}

// LastSeq is the sequence number of the last event taken from a device in
// order (0 before the first); the hub expects LastSeq+1 next.
func (s *Store) LastSeq(ctx context.Context, deviceID string) (uint64, error) {
	var n uint64
	err := s.db.View(ctx, func(tx storage.Tx) error {
		dev, err := mustGet[deviceRecord](tx.Bucket(bucketDevices), "device", deviceID)
		n = dev.LastSeq
		return err
	})
	return n, err
}

// upgradeDedup copies each device's window from the buckets of schema
// version 2; maintenance empties those buckets afterwards.
func upgradeDedup(tx storage.Tx) error {
	var devs []deviceRecord
	err := scanJSON(tx.Bucket(bucketDevices), nil, nil, func(_ []byte, d deviceRecord) error {
		devs = append(devs, d)
		return nil
	})
	if err != nil {
		return err
	}
	for _, d := range devs {
		prefix := []byte(d.ID + "\x00")
		from := binary.BigEndian.AppendUint64(bytes.Clone(prefix), max(d.LastSeq, DedupWindow)-DedupWindow+1)
		var taken []TakenEvent
		err := tx.Bucket(bucketSeqLogV2).Scan(from, storage.PrefixEnd(prefix), func(k, v []byte) error {
			if len(k) == len(prefix)+8 {
				taken = append(taken, TakenEvent{Seq: binary.BigEndian.Uint64(k[len(prefix):]), ID: string(v)})
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, e := range taken {
			if err := copyOutcome(tx, d.ID, e); err != nil {
				return err
			}
		}
	}
	return nil
}

// copyOutcome moves one taken event's outcome of schema version 2 into the window.
func copyOutcome(tx storage.Tx, device string, e TakenEvent) error {
	id := e.ID
	if !usableID(id) {
		id = ""
	}
	if id != "" {
		res, ok, err := getJSON[api.EventResult](tx.Bucket(bucketEventsV2), string(eventKey(device, id)))
		if err != nil || !ok {
			return err
		}
		digest, err := tx.Bucket(bucketEventDigestsV2).Get(eventKey(device, id))
		if err != nil {
			return err
		}
		rec := dedupRecord{Seq: e.Seq, Status: res.Status, Code: res.Code, Message: res.Message, Digest: string(digest)}
		if err := putJSON(tx.Bucket(bucketDedup), string(eventKey(device, id)), rec); err != nil {
			return err
		}
	}
	return tx.Bucket(bucketDedupSeq).Put(windowKey(device, e.Seq, id), []byte("t"))
}
