package outbox

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/sync/internal/kv"
)

// Bucket names. Other packages (the puller's work cache, the SSCC allocator,
// the print spool) keep their own buckets in the same file, through DB.
var (
	bucketMeta      = []byte("meta")
	bucketOutbox    = []byte("outbox")    // seq (8 bytes, big endian) -> domain.Event JSON
	bucketAttention = []byte("attention") // seq -> Rejected JSON
	bucketWork      = []byte("work")      // work key (user id) -> state JSON
	bucketUsers     = []byte("users")     // badge -> domain.User JSON

	keyDevice = []byte("device_id")
	keyToken  = []byte("token")
	keySeq    = []byte("seq")
)

// Store is the device's bbolt file. It is safe for concurrent use.
type Store struct {
	db        *bolt.DB
	device    string
	recovered *Recovery
	checked   StartCheck // how Open checked the file

	// The queue's figures, counted once at Open and then kept by every
	// transaction that changes the outbox or the needs-attention list (in
	// its commit handler), so the status line never walks the outbox.
	mu      sync.Mutex
	counts  counts
	damaged bool // the background check found damage: never marked clean again
}

// Options tune Open.
type Options struct {
	// Timeout is how long to wait for the file lock (default 2s).
	Timeout time.Duration
	// Now stamps the name a damaged file is moved aside under (default time.Now).
	Now func() time.Time
	// WholeCheck checks the whole file at Open whatever its size.
	WholeCheck bool
	// QuickAbove is the size above which a file closed cleanly is checked
	// quickly at Open (default FullCheckBytes).
	QuickAbove int64
}

// Open opens (creating if needed) the device store at path for deviceID. A
// store belongs to one device: opening it as another device is an error.
//
// Another process holding the file is a *LockedError (errors.Is ErrLocked).
// The file is checked for consistency first — the whole file when it is
// small or was not closed cleanly, else quickly with the whole check left
// to CheckInBackground (StartCheck says which); a damaged (or
// zero-length) file is moved aside and a new store takes its place, with
// everything that could still be read from the old one carried into it (see
// Recovery): the queued events keep their ids and sequence numbers, so the
// hub takes each exactly once. The device keeps working, and enrols and
// syncs again from the hub.
func Open(path, deviceID string, opts Options) (*Store, error) {
	if deviceID == "" {
		return nil, errors.New("open device store: empty device id")
	}
	if opts.Timeout == 0 {
		opts.Timeout = 2 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	db, err := openBolt(path, opts.Timeout, false)
	var checked StartCheck
	if err == nil {
		if checked, err = startCheck(db, path, opts); err != nil {
			db.Close()
		}
	}
	var rec *Recovery
	var sv *salvage
	if errors.Is(err, ErrCorrupt) {
		if rec, sv, err = moveAside(path, deviceID, err, opts); err == nil {
			db, err = openBolt(path, opts.Timeout, false)
			checked = CheckedWhole // a new file
		}
	}
	var locked *LockedError
	if errors.As(err, &locked) {
		return nil, locked // says all: "another rfterm has FILE open"
	}
	if err != nil {
		return nil, fmt.Errorf("open device store: %w", err)
	}
	s := &Store{db: db, device: deviceID, recovered: rec, checked: checked}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketMeta, bucketOutbox, bucketAttention, bucketWork, bucketUsers} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		if have := meta.Get(keyDevice); have != nil && string(have) != deviceID {
			return fmt.Errorf("store belongs to device %q, not %q", have, deviceID)
		}
		if err := meta.Put(keyDevice, []byte(deviceID)); err != nil {
			return err
		}
		if err := meta.Delete(keyClean); err != nil { // open: a crash from here leaves it unclean
			return err
		}
		if sv != nil {
			if err := sv.carryInto(tx); err != nil {
				return err
			}
		}
		c, err := countAll(tx)
		s.counts = c
		return err
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open device store %s: %w", path, err)
	}
	return s, nil
}

// Close marks the store closed cleanly (the next Open may check it
// quickly) and closes the file.
func (s *Store) Close() error {
	s.mu.Lock()
	damaged := s.damaged
	s.mu.Unlock()
	var mark error
	if !damaged {
		mark = s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keyClean, []byte{1}) })
		if errors.Is(mark, berrors.ErrDatabaseNotOpen) {
			mark = nil // closed already
		}
	}
	if err := s.db.Close(); err != nil {
		return err
	}
	return mark
}

// DB is the open bbolt file, for packages that keep their own buckets in it
// (the puller's work cache, the SSCC allocator, the print spool). They must
// not touch the buckets this package owns.
func (s *Store) DB() *bolt.DB { return s.db }

// DeviceID is the device this store belongs to.
func (s *Store) DeviceID() string { return s.device }

// Token is the device's hub token, or "" before the device has enrolled.
func (s *Store) Token() (string, error) {
	var tok string
	err := s.db.View(func(tx *bolt.Tx) error {
		tok = string(tx.Bucket(bucketMeta).Get(keyToken))
		return nil
	})
	return tok, err
}

// SetToken saves the device's hub token.
func (s *Store) SetToken(token string) error {
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keyToken, []byte(token)) })
}

// Commit saves the state of a piece of work and queues its events in one
// transaction: when Commit returns nil both are on disk, and not before.
// state nil deletes the work. It returns the queued events with their
// sequence numbers and ids.
func (s *Store) Commit(workKey string, state any, drafts []domain.Draft) ([]domain.Event, error) {
	var raw []byte
	if state != nil {
		var err error
		if raw, err = json.Marshal(state); err != nil {
			return nil, fmt.Errorf("encode work %s: %w", workKey, err)
		}
	}
	var out []domain.Event
	err := s.db.Update(func(tx *bolt.Tx) error {
		out = out[:0]
		if workKey != "" {
			work := tx.Bucket(bucketWork)
			var err error
			if raw == nil {
				err = work.Delete([]byte(workKey))
			} else {
				err = work.Put([]byte(workKey), raw)
			}
			if err != nil {
				return err
			}
		}
		if len(drafts) == 0 {
			return nil
		}
		meta, outbox := tx.Bucket(bucketMeta), tx.Bucket(bucketOutbox)
		seq := kv.Seq(meta.Get(keySeq))
		for _, d := range drafts {
			seq++
			id, err := newEventID()
			if err != nil {
				return err
			}
			ev, err := d.Seal(s.device, seq, id)
			if err != nil {
				return err
			}
			b, err := json.Marshal(ev)
			if err != nil {
				return err
			}
			if err := outbox.Put(kv.SeqKey(seq), b); err != nil {
				return err
			}
			out = append(out, ev)
		}
		s.onCommit(tx, func(c *counts) { c.queued += len(drafts) })
		return meta.Put(keySeq, kv.SeqKey(seq))
	})
	if err != nil {
		return nil, fmt.Errorf("commit %s: %w", workKey, err)
	}
	return out, nil
}

// LoadWork reads the saved state of a piece of work into v. found is false when there is none.
func (s *Store) LoadWork(workKey string, v any) (found bool, err error) {
	found, err = s.lookup(bucketWork, workKey, v)
	if err != nil {
		return false, fmt.Errorf("load work %s: %w", workKey, err)
	}
	return found, nil
}

// lookup decodes the JSON value at key into v; found is false when there is none.
func (s *Store) lookup(bucket []byte, key string, v any) (found bool, err error) {
	return kv.Get(s.db, bucket, key, v)
}

// save encodes v as JSON at key.
func (s *Store) save(bucket []byte, key string, v any) error {
	return s.db.Update(func(tx *bolt.Tx) error { return kv.Put(tx.Bucket(bucket), []byte(key), v) })
}

// RememberUser caches a user who logged in online, so the badge works offline later.
func (s *Store) RememberUser(u domain.User) error { return s.save(bucketUsers, u.Badge, u) }

// UserByBadge finds a cached user.
func (s *Store) UserByBadge(badge string) (u domain.User, found bool, err error) {
	found, err = s.lookup(bucketUsers, badge, &u)
	return u, found, err
}

// newEventID is a random 128-bit event id in hex.
func newEventID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("event id: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}
