package outbox_test

import (
	"encoding/binary"
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
)

// device is the device id the benchmarks' stores belong to.
const device = "gun-9"

// pickStep is a typical step: the pick state saved with one line_picked event.
type pickStep struct {
	TaskID string `json:"task_id"`
	Line   int    `json:"line"`
	Step   string `json:"step"`
	Picked int    `json:"picked"`
}

func stepDraft(n int) domain.Draft {
	return domain.NewDraft(domain.EventLinePicked, time.Now(), "u1001",
		domain.PickLine{TaskID: "T-SO-10003", Line: 5, SKU: "MK-0100", Location: "A-04-04", Tote: "T00001", Picked: 1 + n%3})
}

func percentile(d []time.Duration, p float64) float64 {
	s := slices.Clone(d)
	slices.Sort(s)
	return float64(s[min(len(s)-1, int(float64(len(s))*p))].Microseconds()) / 1000
}

// BenchmarkDurableEnqueue measures a confirmed step: Store.Commit of the
// work state and its event, fsynced, against the same bytes written by a
// bare bbolt Update in another file on the same disk, interleaved in the same
// run. It reports p50 and p99 of both, in milliseconds, and their ratio.
func BenchmarkDurableEnqueue(b *testing.B) {
	dir := b.TempDir()
	store, err := outbox.Open(filepath.Join(dir, "device.db"), device, outbox.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	bare, err := bolt.Open(filepath.Join(dir, "bare.db"), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer bare.Close()
	if err := bare.Update(func(tx *bolt.Tx) error {
		for _, n := range []string{"work", "outbox", "meta"} {
			if _, err := tx.CreateBucketIfNotExists([]byte(n)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	var ours, plain []time.Duration
	var seq uint64
	b.ReportAllocs()
	for b.Loop() {
		n := len(ours)
		state := pickStep{TaskID: "T-SO-10003", Line: 5, Step: "item", Picked: n}
		start := time.Now()
		evs, err := store.Commit("u1001", state, []domain.Draft{stepDraft(n)})
		if err != nil {
			b.Fatal(err)
		}
		ours = append(ours, time.Since(start))

		// The same bytes, written the plainest way bbolt allows.
		stateRaw, _ := json.Marshal(state)
		evRaw, _ := json.Marshal(evs[0])
		seq++
		key := binary.BigEndian.AppendUint64(nil, seq)
		start = time.Now()
		err = bare.Update(func(tx *bolt.Tx) error {
			if err := tx.Bucket([]byte("work")).Put([]byte("u1001"), stateRaw); err != nil {
				return err
			}
			if err := tx.Bucket([]byte("outbox")).Put(key, evRaw); err != nil {
				return err
			}
			return tx.Bucket([]byte("meta")).Put([]byte("seq"), key)
		})
		if err != nil {
			b.Fatal(err)
		}
		plain = append(plain, time.Since(start))
	}
	b.ReportMetric(percentile(ours, 0.50), "p50-ms")
	b.ReportMetric(percentile(ours, 0.99), "p99-ms")
	b.ReportMetric(percentile(plain, 0.50), "bare-p50-ms")
	b.ReportMetric(percentile(plain, 0.99), "bare-p99-ms")
	b.ReportMetric(percentile(ours, 0.50)/percentile(plain, 0.50), "ratio-p50")
	b.ReportMetric(percentile(ours, 0.99)/percentile(plain, 0.99), "ratio-p99")
}

// BenchmarkStats is what every Kick (every confirmed step) costs the status
// line with a long queue: 10,000 events waiting (a day offline) and 100 on
// the needs-attention list.
func BenchmarkStats(b *testing.B) {
	store, err := outbox.Open(filepath.Join(b.TempDir(), "device.db"), device, outbox.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	drafts := make([]domain.Draft, 1000)
	for i := range drafts {
		drafts[i] = stepDraft(i)
	}
	var first []domain.Event
	for range 10 {
		evs, err := store.Commit("", nil, drafts)
		if err != nil {
			b.Fatal(err)
		}
		first = append(first, evs...)
	}
	rejected := make([]api.EventResult, 100)
	for i, ev := range first[:100] {
		rejected[i] = api.EventResult{ID: ev.ID, Seq: ev.Seq, Status: api.StatusRejected, Code: api.CodeTaskNotHeld}
	}
	if err := store.Settle(rejected, time.Now()); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		st, err := store.Stats()
		if err != nil || st.Queued != 9900 || st.Attention != 100 {
			b.Fatal(st, err)
		}
	}
}
