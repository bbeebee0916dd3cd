package boltstore

import (
	"errors"
	"fmt"
	"io"
	"os"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// ErrDamaged is wrapped when the hub database is damaged: a page bbolt cannot
// read. The request, batch or open that met it fails; the process goes on.
var ErrDamaged = errors.New("hub database is damaged")

// refuseEmptyFile refuses a hub file of zero bytes: bbolt would take it for a
// new database, and the hub's site and every device's history would be gone
// without a word (and --seed would quietly load a site into it).
func refuseEmptyFile(path string) error {
	fi, err := os.Stat(path)
	if err != nil || fi.Size() > 0 {
		return nil // missing: a new hub; other stat errors show at open
	}
	return fmt.Errorf("hub database %s is empty (0 bytes): it was truncated or never written, and holds no site. "+
		"Restore it from a backup; to start a new hub instead, delete the file and start with --seed", path)
}

// recovered turns a panic of bbolt's (a damaged page) into an error wrapping
// ErrDamaged. Use it deferred, with the named error result of the caller;
// bbolt rolls its managed transactions back before a panic leaves them.
func recovered(err *error, what string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%s: %w: %v", what, ErrDamaged, r)
	}
}

// quickCheck is the check made at every open, bounded by the number of
// buckets rather than the size of the file: the root page and each bucket's
// root page are read and must be branch or leaf pages, and each bucket's
// first key is reached. Check reads the whole file.
func quickCheck(db *bolt.DB) (err error) {
	defer recovered(&err, "check at open")
	return db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			if root := b.Root(); root != 0 {
				info, err := tx.Page(int(root))
				if errors.Is(err, berrors.ErrFreePagesNotLoaded) {
					return nil // read-only: the type is checked by the full check
				}
				if err != nil {
					return fmt.Errorf("bucket %s: %w", name, err)
				}
				if info == nil || (info.Type != "branch" && info.Type != "leaf") {
					return fmt.Errorf("%w: bucket %s: root page %d is not a branch or leaf page", ErrDamaged, name, root)
				}
			}
			b.Cursor().First()
			return nil
		})
	})
}

// damagedAdvice says what to do about a damaged hub file.
func damagedAdvice(path string, err error) error {
	return fmt.Errorf("%w. Stop here: run `orderhub db check --db %s` for the whole check, then restore the file from a backup "+
		"(devices resend what the backup lacks)", err, path)
}

// Check reads the whole hub database at path (bbolt's consistency check of
// every page, then the open-time check) and writes each problem found to
// out. It returns an error when the file is damaged or cannot be read. The
// hub must be stopped: the file is opened read-only, with a lock.
func Check(path string, out io.Writer) (err error) {
	if err := refuseEmptyFile(path); err != nil {
		return err
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: DefaultTimeout})
	if err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	defer db.Close()
	problems := 0
	err = func() (err error) {
		defer recovered(&err, "check")
		return db.View(func(tx *bolt.Tx) error {
			for e := range tx.Check() {
				problems++
				fmt.Fprintf(out, "%s: %v\n", path, e)
			}
			return nil
		})
	}()
	if err == nil {
		err = quickCheck(db)
	}
	if err != nil {
		fmt.Fprintf(out, "%s: %v\n", path, err)
		problems++
	}
	if problems > 0 {
		return fmt.Errorf("%s: %d problem(s) found: %w", path, problems, ErrDamaged)
	}
	fmt.Fprintf(out, "%s: ok\n", path)
	return nil
}
