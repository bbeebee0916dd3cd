package outbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/sync/internal/kv"
)

// Recovery describes a damaged store that Open moved aside, and what it
// could carry from it into the new store: the queued events it could read
// (same ids, same sequence numbers, so the hub takes each exactly once), the
// needs-attention list, the saved work and the cached users. Show it to the
// user: String says what was recovered and what was not.
type Recovery struct {
	MovedTo string // where the damaged file now is
	Problem string // what the check found
	// Unsent is how many queued events were found in the damaged file, or -1
	// when its queue could not be read at all; FirstSeq and LastSeq bound
	// them.
	Unsent            int
	FirstSeq, LastSeq uint64
	// Carried is how many of them were readable and carried into the new
	// store, to be delivered from there.
	Carried int
	// Lost lists the sequence numbers of queued events that could not be
	// read: the hub never gets them.
	Lost []uint64
	// Complete is true when the whole queue could be read through; when it
	// is false, events past the damage may be lost without a number.
	Complete bool
	// Attention, Work and Users count the needs-attention entries, saved
	// work states and cached users carried over.
	Attention, Work, Users int
}

// String is the report for the log and the screen.
func (r Recovery) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the device store was damaged (%s); it was moved to %s and a new one started; ", r.Problem, r.MovedTo)
	switch {
	case r.Unsent < 0 || r.Unsent == 0 && !r.Complete:
		b.WriteString("its queue could not be read, so any unsent events confirmed on this device since the last sync may be lost")
	case r.Unsent == 0:
		b.WriteString("it held no unsent events")
	default:
		fmt.Fprintf(&b, "it held %d unsent events (seq %d to %d): %d carried into the new store and sent from there", r.Unsent, r.FirstSeq, r.LastSeq, r.Carried)
		if len(r.Lost) > 0 {
			fmt.Fprintf(&b, ", %d unreadable and lost (seq %s)", len(r.Lost), seqList(r.Lost))
		}
	}
	if r.Unsent > 0 && !r.Complete {
		b.WriteString("; part of the queue could not be read, so steps confirmed before its first readable event may be lost too")
	}
	fmt.Fprintf(&b, "; carried over: %d refused steps, %d saved work, %d users", r.Attention, r.Work, r.Users)
	return b.String()
}

// seqList is a short list of sequence numbers for people.
func seqList(seqs []uint64) string {
	var parts []string
	for i, s := range seqs {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("and %d more", len(seqs)-i))
			break
		}
		parts = append(parts, fmt.Sprint(s))
	}
	return strings.Join(parts, ", ")
}

// Recovered returns what Open found when it replaced a damaged file.
func (s *Store) Recovered() (Recovery, bool) {
	if s.recovered == nil {
		return Recovery{}, false
	}
	return *s.recovered, true
}

// pair is a key and value read from a damaged file (copied out of its map).
type pair struct{ k, v []byte }

// salvage is what could be read of a damaged file, to carry into the new one.
type salvage struct {
	outbox, attention, work, users []pair
	seq                            uint64 // the last sequence number issued, 0 when unreadable
}

// moveAside renames a damaged file with a timestamp and reads what it can
// of it.
func moveAside(path, deviceID string, problem error, opts Options) (*Recovery, *salvage, error) {
	to := fmt.Sprintf("%s.corrupt-%s", path, opts.Now().UTC().Format("20060102T150405.000Z"))
	if err := os.Rename(path, to); err != nil {
		return nil, nil, fmt.Errorf("move damaged %s aside: %w (first problem: %w)", path, err, problem)
	}
	rec := &Recovery{MovedTo: to, Problem: problem.Error(), Unsent: -1}
	sv := readDamaged(to, deviceID, opts.Timeout, rec)
	return rec, sv, nil
}

// readDamaged reads what it can of a damaged file and fills in rec; nil
// when the file cannot be opened at all.
func readDamaged(path, deviceID string, timeout time.Duration, rec *Recovery) *salvage {
	db, err := openBolt(path, timeout, true)
	if err != nil {
		return nil
	}
	defer db.Close()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true)) // a damaged page may point outside the map
	sv := &salvage{}
	_ = safely(func() error {
		return db.View(func(tx *bolt.Tx) error {
			if meta := bucketOf(tx, bucketMeta); meta != nil {
				_ = safely(func() error { sv.seq = kv.Seq(meta.Get(keySeq)); return nil })
			}
			sv.readOutbox(tx, deviceID, rec)
			sv.attention, _ = readAll(tx, bucketAttention, json.Valid)
			sv.work, _ = readAll(tx, bucketWork, json.Valid)
			sv.users, _ = readAll(tx, bucketUsers, json.Valid)
			rec.Attention, rec.Work, rec.Users = len(sv.attention), len(sv.work), len(sv.users)
			return nil
		})
	})
	return sv
}

// maxSkips bounds how many sequence numbers readOutbox tries one by one
// past damaged pages (a damaged meta bucket could claim any sequence).
const maxSkips = 100_000

// readOutbox reads the queued events, stepping past damaged pages by
// sequence number. The queue has no gaps (events leave it in order), so a
// number between its first readable event and the last one issued that
// cannot be read is lost, and so is an event whose value does not decode or
// is not the event its key says.
func (sv *salvage) readOutbox(tx *bolt.Tx, deviceID string, rec *Recovery) {
	b := bucketOf(tx, bucketOutbox)
	if b == nil {
		return
	}
	rec.Unsent, rec.Complete = 0, true
	carried := map[uint64]bool{}
	c := b.Cursor()
	next, skips := uint64(0), 0
	for skips < maxSkips {
		var k, v []byte
		err := safely(func() error {
			k, v = c.Seek(kv.SeqKey(next))
			return nil
		})
		if err == nil && k == nil {
			break // the end
		}
		if err != nil || len(k) != 8 || kv.Seq(k) < next {
			rec.Complete = false // a damaged page: try the next number, while any may follow
			if next >= sv.seq {
				break
			}
			next++
			skips++
			continue
		}
		seq := kv.Seq(k)
		if rec.Unsent == 0 {
			rec.FirstSeq = seq
		}
		rec.Unsent++
		rec.LastSeq = seq
		var ev domain.Event
		if json.Unmarshal(v, &ev) == nil && ev.Seq == seq && ev.ID != "" && ev.DeviceID == deviceID {
			sv.outbox = append(sv.outbox, pair{kv.SeqKey(seq), bytes.Clone(v)})
			carried[seq] = true
		}
		next = seq + 1
	}
	if skips == maxSkips {
		rec.Complete = false
	}
	rec.Carried = len(sv.outbox)
	if rec.Unsent == 0 {
		return
	}
	rec.LastSeq = max(rec.LastSeq, min(sv.seq, rec.LastSeq+maxSkips))
	for seq := rec.FirstSeq; seq <= rec.LastSeq; seq++ {
		if !carried[seq] {
			rec.Lost = append(rec.Lost, seq)
		}
	}
	rec.Unsent = int(rec.LastSeq - rec.FirstSeq + 1)
}

// readAll reads the pairs of a bucket whose values ok accepts, up to the
// first damaged page; complete is false when it stopped there.
func readAll(tx *bolt.Tx, name []byte, ok func([]byte) bool) (pairs []pair, complete bool) {
	b := bucketOf(tx, name)
	if b == nil {
		return nil, false
	}
	err := safely(func() error {
		return b.ForEach(func(k, v []byte) error {
			if v != nil && ok(v) {
				pairs = append(pairs, pair{bytes.Clone(k), bytes.Clone(v)})
			}
			return nil
		})
	})
	return pairs, err == nil
}

// bucketOf is the named top-level bucket, nil when it cannot be read.
func bucketOf(tx *bolt.Tx, name []byte) (b *bolt.Bucket) {
	if safely(func() error { b = tx.Bucket(name); return nil }) != nil {
		return nil
	}
	return b
}

// safely runs f, turning a panic (bbolt's answer to some damaged pages) into
// an error.
func safely(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", ErrCorrupt, p)
		}
	}()
	return f()
}

// carryInto writes what was salvaged into the new store, in its first
// transaction: the events under their own sequence numbers, and the
// sequence past them.
func (sv *salvage) carryInto(tx *bolt.Tx) error {
	for _, c := range []struct {
		bucket []byte
		pairs  []pair
	}{{bucketOutbox, sv.outbox}, {bucketAttention, sv.attention}, {bucketWork, sv.work}, {bucketUsers, sv.users}} {
		b := tx.Bucket(c.bucket)
		for _, p := range c.pairs {
			if err := b.Put(p.k, p.v); err != nil {
				return fmt.Errorf("carry %s over: %w", c.bucket, err)
			}
		}
	}
	seq := sv.seq
	if n := len(sv.outbox); n > 0 {
		seq = max(seq, kv.Seq(sv.outbox[n-1].k))
	}
	if seq == 0 {
		return nil
	}
	if err := tx.Bucket(bucketMeta).Put(keySeq, kv.SeqKey(seq)); err != nil {
		return fmt.Errorf("carry the sequence over: %w", err)
	}
	return nil
}
