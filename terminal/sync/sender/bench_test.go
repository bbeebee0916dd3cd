package sender_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/rfterm/rfterm/terminal/sync/internal/synctest"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
	"github.com/rfterm/rfterm/terminal/sync/sender"
)

// BenchmarkDrain measures how fast a sender empties an outbox of 10,000
// events into a real hub on loopback (HTTP, JSON, both fsyncs).
func BenchmarkDrain(b *testing.B) {
	const queued = 10000
	site := demoSiteWithBigLine(b)
	h := hubtest.Start(b, site)
	resp, err := h.Store.Claim(b.Context(), "u1001")
	if err != nil {
		b.Fatal(err)
	}
	task := resp.Task
	store, err := outbox.Open(filepath.Join(b.TempDir(), "device.db"), synctest.Device, outbox.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	client := api.NewClient(h.URL(), nil).WithToken(h.Register(synctest.Device))
	l := task.Lines[0]
	draft := domain.NewDraft(domain.EventLinePicked, time.Now(), "u1001", domain.PickLine{TaskID: task.ID, Line: l.Line, SKU: l.SKU, Location: l.Location, Tote: "T00001", Picked: 1})
	drafts := make([]domain.Draft, 1000)
	for i := range drafts {
		drafts[i] = draft
	}
	for b.Loop() {
		b.StopTimer()
		for range queued / len(drafts) {
			if _, err := store.Commit("", nil, drafts); err != nil {
				b.Fatal(err)
			}
		}
		s := sender.NewSender(store, client, sender.SenderConfig{}, synctest.Quiet())
		drained := make(chan struct{}, 1)
		s.OnChange(func() {
			if st := s.Status(); st.Online && st.Queued == 0 {
				select {
				case drained <- struct{}{}:
				default:
				}
			}
		})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		b.StartTimer()
		go func() { s.Run(ctx); close(done) }()
		select {
		case <-drained:
		case <-time.After(5 * time.Minute):
			b.Fatal("the outbox never drained")
		}
		b.StopTimer()
		cancel()
		<-done
		b.StartTimer()
	}
	b.ReportMetric(float64(b.N*queued)/b.Elapsed().Seconds(), "events/s")
}

func demoSiteWithBigLine(b *testing.B) domain.Site {
	site, err := demodata.Site()
	if err != nil {
		b.Fatal(err)
	}
	site.Orders = []domain.Order{{ID: "SO-BENCH", Customer: "Bench", Priority: 1, Status: domain.OrderOpen,
		Lines: []domain.OrderLine{{Line: 1, SKU: "HX-4411", Qty: 1 << 30}}}}
	return site
}
