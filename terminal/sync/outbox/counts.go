package outbox

import (
	"encoding/json"
	"fmt"
	"maps"
	"time"

	bolt "go.etcd.io/bbolt"
)

// counts are the queue's figures the status line shows.
type counts struct {
	queued int            // events in the outbox
	attnBy map[string]int // needs-attention entries by the user who did the step ("" unknown)
}

// countAll walks the outbox and the needs-attention list once (at Open).
func countAll(tx *bolt.Tx) (counts, error) {
	c := counts{attnBy: map[string]int{}}
	// Walked, not Bucket.Stats: that reads the pages only, and misses what
	// this transaction has written (a recovery's carried events).
	oc := tx.Bucket(bucketOutbox).Cursor()
	for k, _ := oc.First(); k != nil; k, _ = oc.Next() {
		c.queued++
	}
	err := tx.Bucket(bucketAttention).ForEach(func(k, v []byte) error {
		c.attnBy[rejectedUser(v)]++
		return nil
	})
	if err != nil {
		return counts{}, fmt.Errorf("count the needs-attention list: %w", err)
	}
	return c, nil
}

// rejectedUser is the user of a needs-attention entry; "" when it cannot be
// read.
func rejectedUser(raw []byte) string {
	var r struct {
		Event struct {
			UserID string `json:"user_id"`
		} `json:"event"`
	}
	if json.Unmarshal(raw, &r) != nil {
		return ""
	}
	return r.Event.UserID
}

// onCommit applies change to the counts once tx has committed, and not if
// it rolls back.
func (s *Store) onCommit(tx *bolt.Tx, change func(*counts)) {
	tx.OnCommit(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		change(&s.counts)
	})
}

// attention is how many entries wait on the needs-attention list.
func (c counts) attention() int {
	n := 0
	for _, v := range c.attnBy {
		n += v
	}
	return n
}

// Stats counts the outbox and the needs-attention list, from counters kept
// on every change: it does not walk the outbox.
func (s *Store) Stats() (Stats, error) {
	s.mu.Lock()
	st := Stats{Queued: s.counts.queued, Attention: s.counts.attention()}
	if st.Attention > 0 {
		st.AttentionBy = maps.Clone(s.counts.attnBy)
		maps.DeleteFunc(st.AttentionBy, func(_ string, n int) bool { return n == 0 })
	}
	s.mu.Unlock()
	err := s.db.View(func(tx *bolt.Tx) error {
		if _, v := tx.Bucket(bucketOutbox).Cursor().First(); v != nil {
			var ev struct {
				At time.Time `json:"at"`
			}
			if json.Unmarshal(v, &ev) == nil { // an unreadable entry has no age
				st.Oldest = ev.At
			}
		}
		return nil
	})
	if err != nil {
		return st, fmt.Errorf("outbox stats: %w", err)
	}
	return st, nil
}
