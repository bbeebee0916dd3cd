package outbox

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// ErrLocked is wrapped by Open, CheckFile and CompactFile when another
// process has the file open.
var ErrLocked = errors.New("database is in use by another rfterm")

// ErrCorrupt is wrapped when a bbolt file fails its consistency check.
var ErrCorrupt = errors.New("database file is damaged")

// LockedError says which file another rfterm holds.
type LockedError struct{ Path string }

func (e *LockedError) Error() string { return "another rfterm has " + e.Path + " open" }

// Unwrap makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Unwrap() error { return ErrLocked }

// openBolt opens a bbolt file with a lock timeout; a file held by another
// process is a *LockedError, a file that is not a sound bbolt file wraps
// ErrCorrupt. A zero-length file is damaged too: bbolt would take it for a
// new file and write an empty store over what was lost.
func openBolt(path string, timeout time.Duration, readOnly bool) (db *bolt.DB, err error) {
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Size() == 0 {
		return nil, fmt.Errorf("open %s: %w: the file is empty (0 bytes)", path, ErrCorrupt)
	}
	mode := os.FileMode(0o600)
	defer func() {
		if p := recover(); p != nil { // bbolt panics on some damaged meta pages
			db, err = nil, fmt.Errorf("open %s: %w: %v", path, ErrCorrupt, p)
		}
	}()
	db, err = bolt.Open(path, mode, &bolt.Options{Timeout: timeout, ReadOnly: readOnly})
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, &LockedError{Path: path}
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch),
		errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrInvalidMapping):
		return nil, fmt.Errorf("open %s: %w: %w", path, ErrCorrupt, err)
	case err != nil:
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

// checkDB runs bbolt's consistency check over the whole file: every page
// reachable once, free pages free, keys in order. It wraps ErrCorrupt with
// the first problems found.
func checkDB(db *bolt.DB) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", ErrCorrupt, p)
		}
	}()
	var problems []error
	err = db.View(func(tx *bolt.Tx) error {
		for e := range tx.Check() {
			if len(problems) < 5 {
				problems = append(problems, e)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %w", ErrCorrupt, errors.Join(problems...))
	}
	return nil
}

// CheckFile runs the consistency check on a bbolt file (a device store or a
// hub database) that no other process has open.
func CheckFile(path string, timeout time.Duration) error {
	if _, err := os.Stat(path); err != nil {
		return err
	}
	db, err := openBolt(path, timeout, true)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := checkDB(db); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// CompactFile rewrites a bbolt file without its free pages (bbolt files never
// shrink by themselves): the live data is copied into a new file, checked,
// synced, and renamed over the old one, which stays locked meanwhile. It
// returns the sizes before and after.
func CompactFile(path string, timeout time.Duration) (before, after int64, err error) {
	st, err := os.Stat(path)
	if err != nil {
		return 0, 0, err
	}
	src, err := openBolt(path, timeout, false) // exclusive: nobody writes while we copy
	if err != nil {
		return 0, 0, err
	}
	defer src.Close()
	if err := checkDB(src); err != nil {
		return 0, 0, fmt.Errorf("%s: %w (not compacted)", path, err)
	}
	tmp := path + ".compact"
	_ = os.Remove(tmp) // left over from an interrupted compaction
	dst, err := bolt.Open(tmp, st.Mode().Perm(), &bolt.Options{Timeout: timeout})
	if err != nil {
		return 0, 0, fmt.Errorf("compact %s: %w", path, err)
	}
	err = bolt.Compact(dst, src, 16<<20)
	if err == nil {
		err = checkDB(dst)
	}
	if err == nil {
		err = dst.Sync()
	}
	err = errors.Join(err, dst.Close())
	if err != nil {
		os.Remove(tmp)
		return 0, 0, fmt.Errorf("compact %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return 0, 0, fmt.Errorf("compact %s: %w", path, err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return 0, 0, fmt.Errorf("compact %s: %w", path, err)
	}
	nst, err := os.Stat(path)
	if err != nil {
		return 0, 0, err
	}
	return st.Size(), nst.Size(), nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}
