package pgstore_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/hub/pgstore"
	"github.com/rfterm/rfterm/hub/storage"
)

// The shape of one delivered device event, as the hub applies it: read the
// device, the exactly-once record (absent) and the task; take a change-feed
// number; write the exactly-once record, the task and the change.
const (
	benchDevices  = 200
	deviceSize    = 120
	taskSize      = 300
	seenSize      = 24
	changeSize    = 200
	rowsPerEvent  = 3
	copyChunkRows = 30_000
)

// applyEvent is one event's reads and writes in tx.
func applyEvent(tx storage.Tx, device, event int, feed bool, task, change []byte) error {
	dev := []byte(fmt.Sprintf("dev-%03d", device))
	seen := []byte(fmt.Sprintf("dev-%03d/%012d", device, event))
	if _, err := tx.Bucket("devices").Get(dev); err != nil {
		return err
	}
	if v, err := tx.Bucket("seen").Get(seen); err != nil || v != nil {
		return fmt.Errorf("event %s seen before (%v)", seen, err)
	}
	if _, err := tx.Bucket("tasks").Get(dev); err != nil {
		return err
	}
	key := seen
	if feed {
		n, err := tx.Bucket("feed").NextSequence()
		if err != nil {
			return err
		}
		key = binary.BigEndian.AppendUint64(nil, n)
	}
	if err := tx.Bucket("seen").Put(seen, make([]byte, seenSize)); err != nil {
		return err
	}
	if err := tx.Bucket("tasks").Put(dev, task); err != nil {
		return err
	}
	return tx.Bucket("feed").Put(key, change)
}

// getMany is pgstore's batched read, outside the contract.
type getMany interface {
	GetMany(keys [][]byte) ([][]byte, error)
}

// applyEvents is events' reads and writes in tx, reading each bucket's
// keys for all of them in one GetMany.
func applyEvents(tx storage.Tx, devices, events []int, task, change []byte) error {
	devs, seens := make([][]byte, len(events)), make([][]byte, len(events))
	for i, e := range events {
		devs[i] = []byte(fmt.Sprintf("dev-%03d", devices[i]))
		seens[i] = []byte(fmt.Sprintf("dev-%03d/%012d", devices[i], e))
	}
	for _, read := range []struct {
		bucket string
		keys   [][]byte
	}{{"devices", devs}, {"seen", seens}, {"tasks", devs}} {
		vs, err := tx.Bucket(read.bucket).(getMany).GetMany(read.keys)
		if err != nil {
			return err
		}
		if read.bucket == "seen" {
			for i, v := range vs {
				if v != nil {
					return fmt.Errorf("event %s seen before", seens[i])
				}
			}
		}
	}
	for i := range events {
		n, err := tx.Bucket("feed").NextSequence()
		if err != nil {
			return err
		}
		if err := tx.Bucket("seen").Put(seens[i], make([]byte, seenSize)); err != nil {
			return err
		}
		if err := tx.Bucket("tasks").Put(devs[i], task); err != nil {
			return err
		}
		if err := tx.Bucket("feed").Put(binary.BigEndian.AppendUint64(nil, n), change); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkIngest: events applied through the contract (one op is one
// event; perTx events to an Update, by several clients at once, each
// device's events from one client), then a raw COPY of as many events'
// rows into the same table in the same run: events/s, copy-events/s and
// their ratio (x-copy). feed: each event takes a change-feed number;
// getMany: a transaction reads each bucket's keys for all its events in one
// round trip (pgstore's GetMany, outside the contract), else with Get.
func BenchmarkIngest(b *testing.B) {
	for _, c := range []struct {
		perTx, clients int
		feed, many     bool
	}{
		{1, 1, true, false}, {1, 8, true, false}, {1, 32, true, false}, {1, 32, false, false},
		{10, 8, true, false}, {100, 1, true, false}, {100, 4, true, false},
		{100, 1, true, true}, {100, 4, true, true}, {500, 2, true, true},
	} {
		name := fmt.Sprintf("perTx=%d/clients=%d/feed=%v/getMany=%v", c.perTx, c.clients, c.feed, c.many)
		b.Run(name, func(b *testing.B) { benchIngest(b, c.perTx, c.clients, c.feed, c.many) })
	}
}

func benchIngest(b *testing.B, perTx, clients int, feed, many bool) {
	ctx := context.Background()
	db := open(b, migrated(b), pgstore.WithPoolConfig(func(c *pgxpool.Config) {
		c.MaxConns = int32(clients) + 1
	}))
	seed(b, db)
	task, change := make([]byte, taskSize), make([]byte, changeSize)
	var next atomic.Int64 // events handed out
	var conflicts, gaveUp atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for client := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := (benchDevices - client + clients - 1) / clients // devices client, client+clients, ...
			for {
				first := int(next.Add(int64(perTx))) - perTx
				if first >= b.N {
					return
				}
				n := min(perTx, b.N-first)
				runs := 0
				devices, events := make([]int, n), make([]int, n)
				for i := range n {
					// Devices are dealt to clients, so no two clients
					// write one device's records.
					events[i] = first + i
					devices[i] = client + clients*(events[i]%mine)
				}
				err := db.Update(ctx, func(tx storage.Tx) error {
					runs++
					if many {
						return applyEvents(tx, devices, events, task, change)
					}
					for i := range n {
						if err := applyEvent(tx, devices[i], events[i], feed, task, change); err != nil {
							return err
						}
					}
					return nil
				})
				conflicts.Add(int64(runs - 1))
				if errors.Is(err, storage.ErrConflict) {
					gaveUp.Add(int64(n)) // a device would send them again
					continue
				}
				if err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	copyElapsed := copyReference(b, db, b.N)
	rate := float64(b.N-int(gaveUp.Load())) / elapsed.Seconds()
	copyRate := float64(b.N) / copyElapsed.Seconds()
	b.ReportMetric(rate, "events/s")
	b.ReportMetric(copyRate, "copy-events/s")
	b.ReportMetric(rate/copyRate, "x-copy")
	b.ReportMetric(float64(conflicts.Load())/float64(b.N), "reruns/event")
	b.ReportMetric(float64(gaveUp.Load())/float64(b.N), "gaveup/event")
}

// seed writes the devices and their tasks.
func seed(b *testing.B, db *pgstore.DB) {
	require.NoError(b, db.Update(context.Background(), func(tx storage.Tx) error {
		for d := range benchDevices {
			dev := []byte(fmt.Sprintf("dev-%03d", d))
			if err := tx.Bucket("devices").Put(dev, make([]byte, deviceSize)); err != nil {
				return err
			}
			if err := tx.Bucket("tasks").Put(dev, make([]byte, taskSize)); err != nil {
				return err
			}
		}
		return nil
	}))
}

// copyReference COPYs n events' rows (the same buckets and sizes, keys of
// their own) into hub_kv, in chunks of copyChunkRows rows, and returns how
// long it took.
func copyReference(b *testing.B, db *pgstore.DB, n int) time.Duration {
	ctx := context.Background()
	rows := make([][]any, 0, copyChunkRows)
	seen, task, change := make([]byte, seenSize), make([]byte, taskSize), make([]byte, changeSize)
	start := time.Now()
	flush := func() {
		_, err := db.Pool().CopyFrom(ctx, pgx.Identifier{"hub_kv"}, []string{"bucket", "key", "value"}, pgx.CopyFromRows(rows))
		require.NoError(b, err)
		rows = rows[:0]
	}
	for e := range n {
		rows = append(rows,
			[]any{"copy-seen", []byte(fmt.Sprintf("dev-%03d/%012d", e%benchDevices, e)), seen},
			[]any{"copy-tasks", []byte(fmt.Sprintf("task-%012d", e)), task},
			[]any{"copy-feed", binary.BigEndian.AppendUint64(nil, uint64(e+1)), change})
		if len(rows)+rowsPerEvent > copyChunkRows {
			flush()
		}
	}
	if len(rows) > 0 {
		flush()
	}
	return time.Since(start)
}
