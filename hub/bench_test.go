package hub_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/hubtest"
)

const benchBatch = 50

// benchHub is a real hub with one huge order line claimed by u1001, and a
// source of batches of line_picked events of one unit each.
func benchHub(b *testing.B) (h *hubtest.Hub, token string, next func() api.IngestRequest) {
	site := demoSite(b)
	site.Orders = []domain.Order{{ID: "SO-BENCH", Customer: "Bench", Priority: 1, Status: domain.OrderOpen,
		Lines: []domain.OrderLine{{Line: 1, SKU: "HX-4411", Qty: 1 << 40}}}}
	h = hubtest.Start(b, site)
	token = h.Register("bench")
	claim, err := h.Store.Claim(b.Context(), "u1001")
	if err != nil {
		b.Fatal(err)
	}
	payload := domain.PickLine{TaskID: claim.Task.ID, Line: 1, SKU: "HX-4411", Location: claim.Task.Lines[0].Location, Tote: "T00001", Picked: 1}
	var seq uint64
	next = func() api.IngestRequest {
		req := api.IngestRequest{DeviceID: "bench", Events: make([]domain.Event, benchBatch)}
		for i := range req.Events {
			seq++
			req.Events[i] = sealed(b, "bench", seq, fmt.Sprintf("ev-%d", seq), domain.EventLinePicked, "u1001", payload)
		}
		return req
	}
	return h, token, next
}

func checkBatch(b *testing.B, res api.IngestResponse, err error) {
	if err != nil || len(res.Results) != benchBatch || res.Results[benchBatch-1].Status != api.StatusApplied {
		b.Fatalf("ingest: %v %+v", err, res)
	}
}

// BenchmarkIngest measures Store.Ingest with batches of 50 events on a real
// bbolt file (one transaction, one fsync per batch).
func BenchmarkIngest(b *testing.B) {
	h, _, next := benchHub(b)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		req := next()
		b.StartTimer()
		res, err := h.Store.Ingest(b.Context(), "bench", req)
		checkBatch(b, res, err)
	}
	b.ReportMetric(float64(b.N*benchBatch)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkIngestHTTP is the same through POST /v1/events over loopback,
// with the api client: JSON both ways and authentication included.
func BenchmarkIngestHTTP(b *testing.B) {
	h, token, next := benchHub(b)
	c := h.Client().WithToken(token)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		req := next()
		b.StartTimer()
		res, err := c.SendEvents(b.Context(), req)
		checkBatch(b, res, err)
	}
	b.ReportMetric(float64(b.N*benchBatch)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkIngestConcurrent measures the hub with 50 devices syncing at
// once over loopback HTTP: each iteration, every device sends one batch of
// 50 events at the same moment; group commit shares the fsyncs.
func BenchmarkIngestConcurrent(b *testing.B) {
	const devices = 50
	h, _, _ := benchHub(b)
	claim, err := h.Store.Claim(b.Context(), "u1001")
	if err != nil {
		b.Fatal(err)
	}
	payload := domain.PickLine{TaskID: claim.Task.ID, Line: 1, SKU: "HX-4411", Location: claim.Task.Lines[0].Location, Tote: "T00001", Picked: 1}
	type dev struct {
		id     string
		client *api.Client
		seq    uint64
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: devices}}
	devs := make([]*dev, devices)
	for i := range devs {
		id := fmt.Sprintf("bench-%02d", i)
		devs[i] = &dev{id: id, client: api.NewClient(h.URL(), hc).WithToken(h.Register(id))}
	}
	next := func(d *dev) api.IngestRequest {
		req := api.IngestRequest{DeviceID: d.id, Events: make([]domain.Event, benchBatch)}
		for i := range req.Events {
			d.seq++
			req.Events[i] = sealed(b, d.id, d.seq, fmt.Sprintf("%s-%d", d.id, d.seq), domain.EventLinePicked, "u1001", payload)
		}
		return req
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		reqs := make([]api.IngestRequest, devices)
		for i, d := range devs {
			reqs[i] = next(d)
		}
		b.StartTimer()
		var wg sync.WaitGroup
		for i, d := range devs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := d.client.SendEvents(b.Context(), reqs[i])
				if err != nil || len(res.Results) != benchBatch || res.Results[benchBatch-1].Status != api.StatusApplied {
					b.Errorf("%s: %v %+v", d.id, err, res)
				}
			}()
		}
		wg.Wait()
	}
	b.ReportMetric(float64(b.N*devices*benchBatch)/b.Elapsed().Seconds(), "events/s")
}
