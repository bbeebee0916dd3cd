package hub

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/rfterm/rfterm/hub/storage"
)

// historyEvents is how many events BenchmarkIngestAfterHistory takes
// before it measures: RFTERM_BENCH_HISTORY, or a million.
func historyEvents(b *testing.B) int {
	if v := os.Getenv("RFTERM_BENCH_HISTORY"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			b.Fatalf("RFTERM_BENCH_HISTORY=%q: want a count of events", v)
		}
		return n
	}
	return 1_000_000
}

// BenchmarkIngestAfterHistory measures ingest from 50 devices (one batch of
// 50 each at once, straight to the store) on a hub that has taken a long
// history from those devices (a million events; RFTERM_BENCH_HISTORY sets
// another count) against a fresh hub, rounds alternating, and what each
// event adds to the database: ratio is the old hub's events/s over the
// fresh one's; B/event the stored bytes (keys and values of every bucket)
// each measured event added, on each hub.
func BenchmarkIngestAfterHistory(b *testing.B) {
	const devices = 50
	history := historyEvents(b)
	fresh, old := newLoadHub(b, 212), newLoadHub(b, 212)
	freshDevs, oldDevs := fresh.devices(b, devices, "dev"), old.devices(b, devices, "dev")
	const prefillBatch = 1000
	start := time.Now()
	for taken := 0; taken < history; taken += devices * prefillBatch {
		old.ingestAll(b, oldDevs, prefillBatch)
	}
	b.Logf("history: %d events in %v", history, time.Since(start).Round(time.Millisecond))
	freshBytes, oldBytes := storedBytes(b, fresh.s), storedBytes(b, old.s)
	var freshTime, oldTime time.Duration
	for b.Loop() {
		t0 := time.Now()
		fresh.ingestAll(b, freshDevs, loadBatch)
		t1 := time.Now()
		old.ingestAll(b, oldDevs, loadBatch)
		freshTime, oldTime = freshTime+t1.Sub(t0), oldTime+time.Since(t1)
	}
	events := float64(b.N * devices * loadBatch)
	b.ReportMetric(events/freshTime.Seconds(), "fresh-events/s")
	b.ReportMetric(events/oldTime.Seconds(), "old-events/s")
	b.ReportMetric(freshTime.Seconds()/oldTime.Seconds(), "ratio")
	b.ReportMetric(float64(storedBytes(b, fresh.s)-freshBytes)/events, "fresh-B/event")
	b.ReportMetric(float64(storedBytes(b, old.s)-oldBytes)/events, "old-B/event")
	b.ReportMetric(float64(oldBytes)/float64(max(history, 1)), "history-B/event")
}

// storedBytes adds up the keys and values of every bucket of the hub.
func storedBytes(b *testing.B, s *Store) int64 {
	b.Helper()
	var n int64
	err := s.db.View(context.Background(), func(tx storage.Tx) error {
		for _, name := range benchBuckets() {
			err := tx.Bucket(name).Scan(nil, nil, func(k, v []byte) error {
				n += int64(len(k) + len(v))
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// benchBuckets names every bucket an ingest of picks writes to.
func benchBuckets() []string {
	return []string{bucketMeta, bucketOrders, bucketTasks, bucketDevices, bucketDedup, bucketDedupSeq,
		bucketBackorders, bucketPickLines, bucketPickSerials, bucketTotes, bucketSerials, bucketStockQty, bucketPickedUnits, bucketHolders}
}
