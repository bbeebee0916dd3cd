package outbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/sync/internal/kv"
)

// Rejected is an event the hub refused for a business reason. It is never
// retried; it waits on the needs-attention list for a person.
type Rejected struct {
	Event      domain.Event `json:"event"`
	Code       string       `json:"code"`
	Message    string       `json:"message"`
	RejectedAt time.Time    `json:"rejected_at"`
	// Unreadable holds the bytes of an outbox entry that could not be read
	// (Code is CodeUnreadable; Event has only its sequence number, device
	// and, when it could be made out, user), for support.
	Unreadable []byte `json:"unreadable,omitempty"`
}

// CodeUnreadable is the code of a needs-attention entry the device itself
// put there: an outbox entry it could not read, so never sent.
const CodeUnreadable = "unreadable_on_device"

// Stats describes the outbox for the status line.
type Stats struct {
	Queued    int       // events waiting to be delivered
	Oldest    time.Time // when the oldest queued event happened (zero if none)
	Attention int       // rejected events waiting for a person, all users
	// AttentionBy counts them by the user who did the step; "" counts the
	// entries whose user cannot be read. Nil when there are none; a copy
	// the caller may keep.
	AttentionBy map[string]int
}

// Pending returns the oldest queued events, in sequence order: at most
// maxEvents, and no more than maxBytes of JSON (but always at least one).
// An entry that cannot be read (a damaged value the file's check does not
// see) is moved to the needs-attention list under its sequence number
// (Code CodeUnreadable) so the queue moves on past it.
func (s *Store) Pending(maxEvents, maxBytes int) ([]domain.Event, error) {
	for {
		var out []domain.Event
		var bad []uint64
		err := s.db.View(func(tx *bolt.Tx) error {
			c := tx.Bucket(bucketOutbox).Cursor()
			size := 0
			for k, v := c.First(); k != nil && len(out) < maxEvents; k, v = c.Next() {
				if len(out) > 0 && size+len(v) > maxBytes {
					break
				}
				var ev domain.Event
				if err := json.Unmarshal(v, &ev); err != nil || ev.Seq != kv.Seq(k) {
					bad = append(bad, kv.Seq(k))
					continue
				}
				size += len(v)
				out = append(out, ev)
			}
			return nil
		})
		if err != nil || len(bad) == 0 {
			return out, err
		}
		if err := s.setAsideUnreadable(bad); err != nil {
			return nil, err
		}
	}
}

// setAsideUnreadable moves the outbox entries at seqs that still cannot be
// read to the needs-attention list, in one transaction.
func (s *Store) setAsideUnreadable(seqs []uint64) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		outbox, attention := tx.Bucket(bucketOutbox), tx.Bucket(bucketAttention)
		for _, seq := range seqs {
			key := kv.SeqKey(seq)
			raw := outbox.Get(key)
			if raw == nil {
				continue
			}
			var ev domain.Event
			err := json.Unmarshal(raw, &ev)
			if err == nil && ev.Seq == seq {
				continue // readable after all
			}
			if err == nil {
				err = fmt.Errorf("the entry says it is event %d", ev.Seq)
			}
			user := userIn(raw)
			r := Rejected{
				Event:      domain.Event{DeviceID: s.device, Seq: seq, UserID: user},
				Code:       CodeUnreadable,
				Message:    fmt.Sprintf("the device could not read this step from its store (%v); it was never sent", err),
				RejectedAt: time.Now().UTC(),
				Unreadable: bytes.Clone(raw),
			}
			if err := kv.Put(attention, key, r); err != nil {
				return err
			}
			if err := outbox.Delete(key); err != nil {
				return err
			}
			s.onCommit(tx, func(c *counts) { c.queued--; c.attnBy[user]++ })
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("set unreadable outbox entries aside: %w", err)
	}
	return nil
}

// userPattern finds the user id in an event's JSON that does not decode.
var userPattern = regexp.MustCompile(`"user_id":"([^"\\]{1,128})"`)

// userIn makes out the user id of an unreadable entry, "" when it cannot.
func userIn(raw []byte) string {
	if m := userPattern.FindSubmatch(raw); m != nil && utf8.Valid(m[1]) {
		return string(m[1])
	}
	return ""
}

// Settle records the hub's answer for delivered events in one transaction:
// applied and duplicate events leave the outbox; rejected ones move to the
// needs-attention list; deferred ones stay queued. Results for events no
// longer queued are ignored.
func (s *Store) Settle(results []api.EventResult, at time.Time) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		outbox, attention := tx.Bucket(bucketOutbox), tx.Bucket(bucketAttention)
		for _, r := range results {
			if r.Status == api.StatusDeferred {
				continue
			}
			key := kv.SeqKey(r.Seq)
			raw := outbox.Get(key)
			if raw == nil {
				continue
			}
			var ev domain.Event
			if err := json.Unmarshal(raw, &ev); err != nil {
				return fmt.Errorf("outbox entry %d: %w", r.Seq, err)
			}
			if ev.ID != r.ID {
				return fmt.Errorf("hub answered event %s for seq %d, queued is %s", r.ID, r.Seq, ev.ID)
			}
			switch r.Status {
			case api.StatusApplied, api.StatusDuplicate:
				s.onCommit(tx, func(c *counts) { c.queued-- })
			case api.StatusRejected:
				user := ev.UserID
				s.onCommit(tx, func(c *counts) { c.queued--; c.attnBy[user]++ })
				rej, err := json.Marshal(Rejected{Event: ev, Code: r.Code, Message: r.Message, RejectedAt: at.UTC()})
				if err != nil {
					return err
				}
				if err := attention.Put(key, rej); err != nil {
					return err
				}
			default:
				return fmt.Errorf("hub answered status %q for event %s", r.Status, r.ID)
			}
			if err := outbox.Delete(key); err != nil {
				return err
			}
		}
		return nil
	})
}

// Attention lists the rejected events of every user, oldest first: what a
// lead sees.
func (s *Store) Attention() ([]Rejected, error) {
	return s.attention(func(Rejected) bool { return true })
}

// AttentionFor lists, oldest first, the rejected events of the steps userID
// did, and the entries whose user cannot be read (anyone on the device may
// have to report those): what that user sees.
func (s *Store) AttentionFor(userID string) ([]Rejected, error) {
	return s.attention(func(r Rejected) bool { return r.Event.UserID == userID || r.Event.UserID == "" })
}

// attention lists the needs-attention entries keep accepts, oldest first.
func (s *Store) attention(keep func(Rejected) bool) ([]Rejected, error) {
	var out []Rejected
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketAttention).ForEach(func(k, v []byte) error {
			var r Rejected
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("attention entry %d: %w", kv.Seq(k), err)
			}
			if keep(r) {
				out = append(out, r)
			}
			return nil
		})
	})
	return out, err
}
