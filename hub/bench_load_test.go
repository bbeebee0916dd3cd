package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// The load benchmarks of issue 16: a claim's latency while 200 devices
// ingest, with a small and a large hub; ingest against the limit of the
// design (a trivial server writing each batch in one bbolt Update); and
// ingest after a long history against a fresh hub. Each reports its
// comparison as a ratio measured in the same run.

// loadBatch is the events per batch a load device sends.
const loadBatch = 50

// loadHub is a real hub on a bbolt file: the demo site with extra one-line
// orders up to tasks pick tasks in all, and SO-BENCH, one huge line
// claimed by u1001 that every load device picks from.
type loadHub struct {
	s       *Store
	path    string
	payload json.RawMessage // a domain.PickLine of one unit of SO-BENCH
}

func newLoadHub(b *testing.B, tasks int) *loadHub {
	b.Helper()
	path := filepath.Join(b.TempDir(), "hub.db")
	s, err := Open(path, WithPINCost(bcrypt.MinCost))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	h := seedLoadHub(b, s, tasks)
	h.path = path
	return h
}

// seedLoadHub seeds s (a new, empty hub) as newLoadHub describes and
// claims SO-BENCH for u1001.
func seedLoadHub(b *testing.B, s *Store, tasks int) *loadHub {
	b.Helper()
	site, err := demodata.Site()
	if err != nil {
		b.Fatal(err)
	}
	skus := make([]string, 0, len(site.Stock))
	for sku := range site.Stock {
		skus = append(skus, sku)
	}
	slices.Sort(skus)
	site.Orders = append(site.Orders, domain.Order{ID: "SO-BENCH", Customer: "Bench", Priority: 0,
		Lines: []domain.OrderLine{{Line: 1, SKU: "HX-4411", Qty: 1 << 40}}})
	for i := 0; len(site.Orders) < tasks; i++ {
		site.Orders = append(site.Orders, domain.Order{ID: fmt.Sprintf("SO-L%06d", i), Customer: "Load", Priority: 1 + i%9,
			Lines: []domain.OrderLine{{Line: 1, SKU: skus[i%len(skus)], Qty: 1 + i%3}}})
	}
	if err := s.Seed(b.Context(), site); err != nil {
		b.Fatal(err)
	}
	claim, err := s.Claim(b.Context(), "u1001")
	if err != nil || claim.Task.OrderID != "SO-BENCH" {
		b.Fatalf("claim SO-BENCH: %v %s", err, claim.Task.ID)
	}
	l := claim.Task.Lines[0]
	payload, err := json.Marshal(domain.PickLine{TaskID: claim.Task.ID, Line: 1, SKU: l.SKU, Location: l.Location, Tote: "T00001", Picked: 1})
	if err != nil {
		b.Fatal(err)
	}
	return &loadHub{s: s, payload: payload}
}

// loadDevice is one enrolled device with its next sequence number.
type loadDevice struct {
	id    string
	token string
	seq   uint64
}

func (h *loadHub) devices(b *testing.B, n int, prefix string) []*loadDevice {
	b.Helper()
	site, err := demodata.Site()
	if err != nil {
		b.Fatal(err)
	}
	out := make([]*loadDevice, n)
	for i := range out {
		id := fmt.Sprintf("%s-%03d", prefix, i)
		reg, err := h.s.Register(b.Context(), api.RegisterRequest{DeviceID: id, EnrollKey: site.EnrollKey})
		if err != nil {
			b.Fatal(err)
		}
		out[i] = &loadDevice{id: id, token: reg.Token}
	}
	return out
}

// batch is the device's next batch of n one-unit picks of SO-BENCH (made
// cheaply: the load's goroutines share the cores with the hub).
func (h *loadHub) batch(d *loadDevice, n int) api.IngestRequest {
	req := api.IngestRequest{DeviceID: d.id, Events: make([]domain.Event, n)}
	at := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	for i := range req.Events {
		d.seq++
		req.Events[i] = domain.Event{ID: d.id + "-" + strconv.FormatUint(d.seq, 10), DeviceID: d.id, Seq: d.seq,
			Type: domain.EventLinePicked, At: at, UserID: "u1001", Payload: h.payload}
	}
	return req
}

// ingestAll sends one batch from each device at once, straight to the
// store, and checks every event was applied.
func (h *loadHub) ingestAll(b testing.TB, devs []*loadDevice, n int) {
	reqs := make([]api.IngestRequest, len(devs))
	for i, d := range devs {
		reqs[i] = h.batch(d, n)
	}
	var wg sync.WaitGroup
	for i, d := range devs {
		wg.Go(func() {
			res, err := h.s.Ingest(context.Background(), d.id, reqs[i])
			if err != nil || res.Results[n-1].Status != api.StatusApplied {
				b.Errorf("%s: %v %+v", d.id, err, res.Results[n-1])
			}
		})
	}
	wg.Wait()
}

// BenchmarkClaimDuringIngest measures a claim's latency (p50, p99) while
// 200 devices ingest as fast as the hub takes their batches, with 212 and
// with 50,000 pick tasks in the hub. Each iteration claims 50 times (the
// task claimed goes back to the pool, untimed, so the pool never runs dry).
func BenchmarkClaimDuringIngest(b *testing.B) {
	for _, tasks := range []int{212, 50_000} {
		b.Run(fmt.Sprintf("tasks=%d", tasks), func(b *testing.B) {
			h := newLoadHub(b, tasks)
			devs := h.devices(b, 200, "load")
			idle := h.claims(b, 50) // the floor: the same claims with no ingest
			ctx, stop := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			var mu sync.Mutex
			events := 0
			for _, d := range devs {
				wg.Go(func() {
					for ctx.Err() == nil {
						res, err := h.s.Ingest(ctx, d.id, h.batch(d, loadBatch))
						if err != nil {
							if ctx.Err() == nil {
								b.Errorf("%s: %v", d.id, err)
							}
							return
						}
						mu.Lock()
						events += len(res.Results)
						mu.Unlock()
					}
				})
			}
			var lat, bare []time.Duration
			start := time.Now()
			for b.Loop() {
				lat = append(lat, h.claims(b, 50)...)
				bare = append(bare, h.bareWrites(b, 50)...)
			}
			elapsed := time.Since(start)
			stop()
			wg.Wait()
			b.ReportMetric(ms(percentile(lat, 50)), "p50-ms")
			b.ReportMetric(ms(percentile(lat, 99)), "p99-ms")
			b.ReportMetric(ms(percentile(bare, 50)), "bare-write-p50-ms")
			b.ReportMetric(ms(percentile(bare, 99)), "bare-write-p99-ms")
			b.ReportMetric(ms(percentile(idle, 50)), "idle-p50-ms")
			b.ReportMetric(ms(percentile(idle, 99)), "idle-p99-ms")
			b.ReportMetric(float64(events)/elapsed.Seconds(), "ingest-events/s")
		})
	}
}

// claims makes n claims by u1002, each put back in the pool untimed, and
// returns how long each took.
func (h *loadHub) claims(b *testing.B, n int) []time.Duration {
	lat := make([]time.Duration, 0, n)
	for range n {
		t0 := time.Now()
		c, err := h.s.ClaimThrough(context.Background(), "", "u1002")
		lat = append(lat, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := h.s.ReassignTask(context.Background(), c.Task.ID, ""); err != nil {
			b.Fatal(err)
		}
	}
	return lat
}

// bareWrites makes n writes of one key through the hub's database, the
// floor of any write under the same load, and returns how long each took.
func (h *loadHub) bareWrites(b *testing.B, n int) []time.Duration {
	lat := make([]time.Duration, 0, n)
	for i := range n {
		t0 := time.Now()
		err := h.s.db.Update(context.Background(), func(tx storage.Tx) error {
			return tx.Bucket("bench_bare").Put([]byte("k"), []byte(strconv.Itoa(i)))
		})
		lat = append(lat, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
	}
	return lat
}

// percentile is the p-th percentile of ds.
func percentile(ds []time.Duration, p int) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// BenchmarkIngestVsReference measures the hub's ingest over loopback HTTP
// with 50 and with 200 devices each sending one batch at once, against the
// limit of the design in the same run: a trivial net/http server that
// decodes the same JSON and writes each batch in one bbolt Update (see
// referenceServer). Rounds alternate between the two; ratio is the hub's
// events/s over the reference's.
func BenchmarkIngestVsReference(b *testing.B) {
	for _, n := range []int{50, 200} {
		b.Run(fmt.Sprintf("devices=%d", n), func(b *testing.B) {
			h := newLoadHub(b, 212)
			devs := h.devices(b, n, "http")
			srv := httptest.NewServer(NewHandler(h.s, slog.New(slog.DiscardHandler)))
			defer srv.Close()
			ref := newReferenceServer(b)
			defer ref.Close()
			hc := httpClient(n)
			hubClients := make([]*api.Client, n)
			refClients := make([]*api.Client, n)
			for i, d := range devs {
				hubClients[i] = api.NewClient(srv.URL, hc).WithToken(d.token)
				refClients[i] = api.NewClient(ref.URL, hc)
			}
			refDevs := make([]*loadDevice, n)
			for i := range refDevs {
				refDevs[i] = &loadDevice{id: devs[i].id}
			}
			var hubTime, refTime time.Duration
			for b.Loop() {
				refTime += h.round(b, refClients, refDevs)
				hubTime += h.round(b, hubClients, devs)
			}
			events := float64(b.N * n * loadBatch)
			b.ReportMetric(events/hubTime.Seconds(), "hub-events/s")
			b.ReportMetric(events/refTime.Seconds(), "ref-events/s")
			b.ReportMetric(refTime.Seconds()/hubTime.Seconds(), "ratio")
		})
	}
}

// round sends one batch from every device at once over HTTP and returns
// how long the slowest took.
func (h *loadHub) round(b *testing.B, clients []*api.Client, devs []*loadDevice) time.Duration {
	reqs := make([]api.IngestRequest, len(devs))
	for i, d := range devs {
		reqs[i] = h.batch(d, loadBatch)
	}
	start := time.Now()
	var wg sync.WaitGroup
	for i := range devs {
		wg.Go(func() {
			res, err := clients[i].SendEvents(context.Background(), reqs[i])
			if err != nil || len(res.Results) != loadBatch || res.Results[loadBatch-1].Status != api.StatusApplied {
				b.Errorf("%s: %v", devs[i].id, err)
			}
		})
	}
	wg.Wait()
	return time.Since(start)
}
