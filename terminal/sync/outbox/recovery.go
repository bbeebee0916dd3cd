package outbox

import (
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rfterm/rfterm/terminal/sync/internal/kv"
)

// Recovery describes a damaged store that Open moved aside.
type Recovery struct {
	MovedTo string // where the damaged file now is
	Problem string // what the check found
	// Unsent is how many events were still queued in the damaged file, or -1
	// when it could not be read at all; FirstSeq and LastSeq bound them.
	Unsent            int
	FirstSeq, LastSeq uint64
}

// String is the report for the log and the lead.
func (r Recovery) String() string {
	unsent := "its queue could not be read, so any unsent events confirmed on this device since the last sync may be lost"
	switch {
	case r.Unsent > 0:
		unsent = fmt.Sprintf("it held %d unsent events (seq %d to %d) that the hub has not received", r.Unsent, r.FirstSeq, r.LastSeq)
	case r.Unsent == 0:
		unsent = "it held no unsent events"
	}
	return fmt.Sprintf("the device store was damaged (%s); it was moved to %s and a new one started; %s", r.Problem, r.MovedTo, unsent)
}

// Recovered returns what Open found when it replaced a damaged file.
func (s *Store) Recovered() (Recovery, bool) {
	if s.recovered == nil {
		return Recovery{}, false
	}
	return *s.recovered, true
}

// moveAside renames a damaged file with a timestamp and counts what it held.
func moveAside(path string, problem error, opts Options) (*Recovery, error) {
	to := fmt.Sprintf("%s.corrupt-%s", path, opts.Now().UTC().Format("20060102T150405.000Z"))
	if err := os.Rename(path, to); err != nil {
		return nil, fmt.Errorf("move damaged %s aside: %w (first problem: %w)", path, err, problem)
	}
	rec := &Recovery{MovedTo: to, Problem: problem.Error(), Unsent: -1}
	rec.Unsent, rec.FirstSeq, rec.LastSeq = countUnsent(to, opts.Timeout)
	return rec, nil
}

// countUnsent reads what it can of a damaged file's outbox; -1 when nothing.
func countUnsent(path string, timeout time.Duration) (n int, first, last uint64) {
	db, err := openBolt(path, timeout, true)
	if err != nil {
		return -1, 0, 0
	}
	defer db.Close()
	defer func() {
		if recover() != nil {
			n, first, last = -1, 0, 0
		}
	}()
	n = -1
	_ = db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		if b == nil {
			return nil
		}
		n = 0
		return b.ForEach(func(k, _ []byte) error {
			seq := kv.Seq(k)
			if n == 0 {
				first = seq
			}
			last = seq
			n++
			return nil
		})
	})
	return n, first, last
}
