package hub_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub"
	"github.com/stretchr/testify/require"
)

// BenchmarkIngest measures Store.Ingest with batches of 50 line_picked events
// of one unit each on a real bbolt file (one fsync per batch).
func BenchmarkIngest(b *testing.B) {
	const batch = 50
	site := demoSite(b)
	site.Orders = []domain.Order{{ID: "SO-BENCH", Customer: "Bench", Priority: 1, Status: domain.OrderOpen,
		Lines: []domain.OrderLine{{Line: 1, SKU: "HX-4411", Qty: 1 << 40}}}}
	st, err := hub.Open(filepath.Join(b.TempDir(), "hub.db"))
	require.NoError(b, err)
	defer st.Close()
	require.NoError(b, st.Seed(site))
	_, err = st.Register(api.RegisterRequest{DeviceID: "bench", EnrollKey: site.EnrollKey})
	require.NoError(b, err)
	claim, err := st.Claim("u1001")
	require.NoError(b, err)
	payload := domain.PickLine{TaskID: claim.Task.ID, Line: 1, SKU: "HX-4411", Location: claim.Task.Lines[0].Location, Tote: "T00001", Picked: 1}

	var seq uint64
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		req := api.IngestRequest{DeviceID: "bench", Events: make([]domain.Event, batch)}
		for i := range req.Events {
			seq++
			req.Events[i] = sealed(b, "bench", seq, fmt.Sprintf("ev-%d", seq), domain.EventLinePicked, "u1001", payload)
		}
		b.StartTimer()
		res, err := st.Ingest("bench", req)
		if err != nil || res.Results[batch-1].Status != api.StatusApplied {
			b.Fatalf("ingest: %v %+v", err, res.Results[batch-1])
		}
	}
	b.ReportMetric(float64(seq)/b.Elapsed().Seconds(), "events/s")
}
