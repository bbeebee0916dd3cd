package storagetest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/hub/storage"
)

// be64 is n as an 8-byte big-endian key, so keys sort as numbers.
func be64(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

func getInt(b storage.Bucket, key string) (int, error) {
	v, err := b.Get([]byte(key))
	if err != nil || v == nil {
		return 0, err
	}
	return int(binary.BigEndian.Uint64(v)), nil
}

func putInt(b storage.Bucket, key string, n int) error {
	return b.Put([]byte(key), be64(uint64(n)))
}

// NextSequence starts at 1 in every bucket and increases, within a
// transaction and across them.
func testNextSequence(t *testing.T, db storage.DB) {
	var got []uint64
	update(t, db, func(tx storage.Tx) error {
		got = got[:0]
		for _, name := range []string{"a", "a", "a", "b", "a"} {
			n, err := tx.Bucket(name).NextSequence()
			if err != nil {
				return err
			}
			got = append(got, n)
		}
		return nil
	})
	require.Equal(t, []uint64{1, 2, 3, 1, 4}, got)
	var next uint64
	update(t, db, func(tx storage.Tx) error {
		var err error
		next, err = tx.Bucket("a").NextSequence()
		return err
	})
	require.Equal(t, uint64(5), next)
	update(t, db, func(tx storage.Tx) error {
		n, err := tx.Bucket("c").NextSequence()
		assert.Equal(t, uint64(1), n, "a new bucket starts at 1")
		return err
	})
}

// Numbers follow commit order: writers each take a number and write a
// record under it, taking their time to commit; a reader polling the
// records must never find a number below one it has already seen. Every
// committed writer's number is distinct.
func testNextSequenceCommitOrder(t *testing.T, db storage.DB) {
	const writers, each = 6, 25
	put(t, db, "pad", "k", "v") // something for the writers to read
	var wg sync.WaitGroup
	var commits atomic.Int64
	stop := make(chan struct{})
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for i := range each {
				reads := rng.IntN(4)
				err := db.Update(t.Context(), func(tx storage.Tx) error {
					n, err := tx.Bucket("feed").NextSequence()
					if err != nil {
						return err
					}
					for range reads { // hold the number a while before committing
						if _, err := tx.Bucket("pad").Get([]byte("k")); err != nil {
							return err
						}
					}
					return tx.Bucket("feed").Put(be64(n), []byte(fmt.Sprintf("%d/%d", w, i)))
				})
				if !assert.NoError(t, err) {
					return
				}
				commits.Add(1)
			}
		}()
	}
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		seen := map[uint64]bool{}
		var highest uint64
		for polls := 0; ; polls++ {
			select {
			case <-stop:
				if polls > 0 {
					return
				}
			default:
			}
			var fresh []uint64
			err := db.View(t.Context(), func(tx storage.Tx) error {
				fresh = fresh[:0]
				return tx.Bucket("feed").Scan(nil, nil, func(k, v []byte) error {
					if n := binary.BigEndian.Uint64(k); !seen[n] {
						fresh = append(fresh, n)
					}
					return nil
				})
			})
			if !assert.NoError(t, err) {
				return
			}
			for _, n := range fresh {
				if !assert.Greater(t, n, highest, "number %d appeared after %d had been seen", n, highest) {
					return
				}
			}
			for _, n := range fresh {
				seen[n] = true
				highest = max(highest, n)
			}
		}
	}()
	wg.Wait()
	close(stop)
	within(t, readerDone, "the reader")
	require.Len(t, scanCommitted(t, db, "feed", nil, nil), int(commits.Load()),
		"every committed writer has a number of its own")
}

// Writers that take a number and write under it, reading nothing (so no
// backend has a reason to roll one back): every reader sees a prefix of
// the numbers with no gap, never shorter than before, and at the end all
// of them.
func testSequencesFollowCommits(t *testing.T, db storage.DB) {
	const writers, each = 4, 25
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for range each {
				err := db.Update(t.Context(), func(tx storage.Tx) error {
					b := tx.Bucket("log")
					n, err := b.NextSequence()
					if err != nil {
						return err
					}
					return b.Put(be64(n), []byte{1})
				})
				if !assert.NoError(t, err) {
					return
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	seen := uint64(0)
	for finished := false; !finished; {
		select {
		case <-done:
			finished = true
		default:
		}
		var last uint64
		view(t, db, func(tx storage.Tx) error {
			i := uint64(0)
			return tx.Bucket("log").Scan(nil, nil, func(k, _ []byte) error {
				i++
				if n := binary.BigEndian.Uint64(k); n != i {
					return fmt.Errorf("number %d seen without %d", n, i)
				}
				last = i
				return nil
			})
		})
		require.GreaterOrEqual(t, last, seen, "a reader never sees fewer than before")
		seen = last
	}
	assert.Equal(t, uint64(writers*each), seen)
}

// Many goroutines incrementing the same counters: none of the increments
// is lost (each Update reads, adds one and writes back).
func testConcurrentCounters(t *testing.T, db storage.DB) {
	const goroutines, each = 8, 20
	var wg sync.WaitGroup
	var runs atomic.Int64
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				err := db.Update(t.Context(), func(tx storage.Tx) error {
					runs.Add(1)
					b := tx.Bucket("counters")
					for _, k := range []string{"x", "y"} {
						n, err := getInt(b, k)
						if err != nil {
							return err
						}
						if err := putInt(b, k, n+1); err != nil {
							return err
						}
					}
					return nil
				})
				if !assert.NoError(t, err) {
					return
				}
			}
		}()
	}
	wg.Wait()
	view(t, db, func(tx storage.Tx) error {
		for _, k := range []string{"x", "y"} {
			n, err := getInt(tx.Bucket("counters"), k)
			assert.NoError(t, err)
			assert.Equal(t, goroutines*each, n, "counter %s", k)
		}
		return nil
	})
	t.Logf("%d updates ran fn %d times", goroutines*each, runs.Load())
}

// rendezvousLimit bounds how long the write-skew test's transactions wait
// for each other to read.
const rendezvousLimit = 5 * time.Second

// Write skew, which snapshot isolation allows and serializability does
// not: two doctors on call, each may go off call if the other is still on.
// Each round both try at once; at least one must stay on call.
func testWriteSkew(t *testing.T, db storage.DB) {
	for round := range 30 {
		put(t, db, "oncall", "alice", "1", "bob", "1")
		start := make(chan struct{})
		var started [2]atomic.Bool
		var read [2]chan struct{}
		var readOnce [2]sync.Once
		var done [2]chan struct{}
		for i := range 2 {
			read[i], done[i] = make(chan struct{}), make(chan struct{})
		}
		var wg sync.WaitGroup
		for i, me := range []string{"alice", "bob"} {
			other := 1 - i
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer close(done[i])
				<-start
				err := db.Update(t.Context(), func(tx storage.Tx) error {
					started[i].Store(true)
					b := tx.Bucket("oncall")
					on := 0
					for _, who := range []string{"alice", "bob"} {
						v, err := b.Get([]byte(who))
						if err != nil {
							return err
						}
						if string(v) == "1" {
							on++
						}
					}
					readOnce[i].Do(func() { close(read[i]) })
					if started[other].Load() {
						// Both transactions are open: let the other read
						// too before either writes (a backend that runs one
						// Update at a time never gets here).
						timer := time.NewTimer(rendezvousLimit)
						select {
						case <-read[other]:
						case <-done[other]:
						case <-timer.C: // a backend whose reads wait for writers
						}
						timer.Stop()
					}
					if on < 2 {
						return nil
					}
					return b.Put([]byte(me), []byte("0"))
				})
				assert.NoError(t, err)
			}()
		}
		close(start)
		wg.Wait()
		on := 0
		for _, who := range []string{"alice", "bob"} {
			if string(get(t, db, "oncall", who)) == "1" {
				on++
			}
		}
		require.GreaterOrEqual(t, on, 1, "round %d: both went off call (write skew)", round)
	}
}

// Transfers between accounts, many at once, each reading two balances and
// writing both: the total never changes, in any View taken meanwhile
// (reading every account with Get, or all of them with Scan) or at the end,
// and no balance goes below zero.
func testTransfersKeepTheirSum(t *testing.T, db storage.DB) {
	const accounts, start, goroutines, each = 5, 100, 6, 25
	update(t, db, func(tx storage.Tx) error {
		for i := range accounts {
			if err := putInt(tx.Bucket("bank"), fmt.Sprint(i), start); err != nil {
				return err
			}
		}
		return nil
	})
	total := func(tx storage.Tx, byScan bool) (int, error) {
		sum := 0
		if byScan {
			err := tx.Bucket("bank").Scan(nil, nil, func(k, v []byte) error {
				sum += int(binary.BigEndian.Uint64(v))
				return nil
			})
			return sum, err
		}
		for i := range accounts {
			n, err := getInt(tx.Bucket("bank"), fmt.Sprint(i))
			if err != nil {
				return 0, err
			}
			sum += n
		}
		return sum, nil
	}
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 99))
			for range each {
				from, to, amount := rng.IntN(accounts), rng.IntN(accounts), 1+rng.IntN(40)
				err := db.Update(t.Context(), func(tx storage.Tx) error {
					b := tx.Bucket("bank")
					a, err := getInt(b, fmt.Sprint(from))
					if err != nil || from == to || a < amount {
						return err
					}
					c, err := getInt(b, fmt.Sprint(to))
					if err != nil {
						return err
					}
					if err := putInt(b, fmt.Sprint(from), a-amount); err != nil {
						return err
					}
					return putInt(b, fmt.Sprint(to), c+amount)
				})
				assert.NoError(t, err)
			}
		}()
	}
	audits := make(chan struct{})
	go func() {
		defer close(audits)
		for i := 0; i < 40; i++ {
			err := db.View(t.Context(), func(tx storage.Tx) error {
				sum, err := total(tx, i%2 == 0)
				assert.Equal(t, accounts*start, sum, "a View's total, mid-transfers")
				return err
			})
			assert.NoError(t, err)
		}
	}()
	wg.Wait()
	within(t, audits, "the audits")
	view(t, db, func(tx storage.Tx) error {
		sum, err := total(tx, true)
		assert.Equal(t, accounts*start, sum)
		return errors.Join(err, tx.Bucket("bank").Scan(nil, nil, func(k, v []byte) error {
			assert.LessOrEqual(t, binary.BigEndian.Uint64(v), uint64(accounts*start), "account %s went below zero", k)
			return nil
		}))
	})
}
