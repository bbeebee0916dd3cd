package outbox

import (
	"encoding/json"
	"fmt"
	"time"

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
}

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
func (s *Store) Pending(maxEvents, maxBytes int) ([]domain.Event, error) {
	var out []domain.Event
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketOutbox).Cursor()
		size := 0
		for k, v := c.First(); k != nil && len(out) < maxEvents; k, v = c.Next() {
			if len(out) > 0 && size+len(v) > maxBytes {
				break
			}
			var ev domain.Event
			if err := json.Unmarshal(v, &ev); err != nil {
				return fmt.Errorf("outbox entry %d: %w", kv.Seq(k), err)
			}
			size += len(v)
			out = append(out, ev)
		}
		return nil
	})
	return out, err
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
