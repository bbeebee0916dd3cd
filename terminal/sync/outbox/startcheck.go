package outbox

import (
	"errors"
	"fmt"
	"os"

	bolt "go.etcd.io/bbolt"
)

// keyClean is set in the meta bucket when the store is closed, and cleared
// at Open: a file without it was not closed (a crash, a dead battery), and
// gets the whole check before it is used.
var keyClean = []byte("closed_clean")

// FullCheckBytes is the size up to which Open always checks the whole file
// (Options.QuickAbove's default): a small file's check costs little. A
// larger file closed cleanly gets a quick check at Open (every bucket's root
// page) and the whole check in the background, so start-up does not grow
// with the file.
const FullCheckBytes = 64 << 20

// StartCheck says how Open checked the file.
type StartCheck string

// How Open checked the file.
const (
	CheckedWhole StartCheck = "whole" // the whole file, before use
	CheckedQuick StartCheck = "quick" // every bucket's root at Open; the whole file in the background
)

// startCheck checks the store at Open: the whole file when it is small or
// was not closed cleanly, else quickly (the whole check then runs in the
// background: CheckInBackground).
func startCheck(db *bolt.DB, path string, opts Options) (StartCheck, error) {
	quickAbove := opts.QuickAbove
	if quickAbove <= 0 {
		quickAbove = FullCheckBytes
	}
	if opts.WholeCheck || !closedClean(db) || fileSize(path) <= quickAbove {
		return CheckedWhole, checkDB(db)
	}
	return CheckedQuick, quickCheck(db)
}

// closedClean reports whether the store was closed cleanly last time.
func closedClean(db *bolt.DB) (clean bool) {
	defer func() {
		if recover() != nil {
			clean = false // unreadable meta: check everything
		}
	}()
	_ = db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketMeta); b != nil {
			clean = b.Get(keyClean) != nil
		}
		return nil
	})
	return clean
}

// quickCheck reads every top-level bucket's root and first leaf: what a
// damaged file most often breaks, at a cost that does not grow with it.
func quickCheck(db *bolt.DB) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", ErrCorrupt, p)
		}
	}()
	err = db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
			b.Cursor().First()
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return nil
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// StartCheck says how Open checked the file.
func (s *Store) StartCheck() StartCheck { return s.checked }

// CheckInBackground runs the whole check of a store Open checked quickly,
// while the device works. A damaged file is not used less for it — it is
// open — but it will not be trusted again: the clean mark is cleared, so the
// next start checks it whole and moves it aside, carrying what it can.
// It returns nil for a store checked whole at Open.
func (s *Store) CheckInBackground() error {
	if s.checked != CheckedQuick {
		return nil
	}
	err := checkDB(s.db)
	if errors.Is(err, ErrCorrupt) {
		s.mu.Lock()
		s.damaged = true // Close must not mark it clean again
		s.mu.Unlock()
		_ = s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Delete(keyClean) })
	}
	return err
}
