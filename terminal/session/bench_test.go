package session_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
)

// BenchmarkScanToDisk is what a session does for one item scan before the
// screen may show it as counted: the workflow step, then the pick state
// saved to the device's bbolt file with fsync (no event: the line is not
// full yet). Run it where the device's disk is, to see that disk's cost.
func BenchmarkScanToDisk(b *testing.B) {
	site, err := demodata.Site()
	if err != nil {
		b.Fatal(err)
	}
	rules, err := demodata.Rules()
	if err != nil {
		b.Fatal(err)
	}
	store, err := outbox.Open(filepath.Join(b.TempDir(), "device.db"), "bench", outbox.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	it := site.Items[0]
	loc := site.Locations[0]
	task := domain.Task{ID: "T-B", OrderID: "SO-B", Lines: []domain.TaskLine{{Line: 1, SKU: it.SKU, Location: loc.Code, Qty: 1 << 30}}}
	p, err := flow.NewPick(task, []domain.Item{it}, []domain.Location{loc}, "u1")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	p.Handle(flow.Env{Rules: rules}, flow.ScanInput(barcode.NewScan("T00001", now, "bench")))
	p.Handle(flow.Env{Rules: rules}, flow.ScanInput(barcode.NewScan(loc.Code, now, "bench")))
	in := flow.ScanInput(barcode.NewScan(it.GTIN, now, "bench"))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		o := p.Handle(flow.Env{Rules: rules}, in)
		if o.Problem != nil {
			b.Fatal(o.Problem)
		}
		if _, err := store.Commit("pick/u1", p, o.Events); err != nil {
			b.Fatal(err)
		}
	}
}
