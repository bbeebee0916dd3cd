package sender_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/demo"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/sync/internal/synctest"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
	"github.com/rfterm/rfterm/terminal/sync/sender"
	"github.com/rfterm/rfterm/terminal/sync/sscc"
)

// TestPackOfflineThenSync is issue 6's acceptance test: an order picked
// through the hub is packed at a station while the hub is down (three
// cartons, one unit short), the events wait in the station's outbox, and
// when the hub is back the sender delivers them: the hub shows the shipment
// exactly once, and sending the same events again changes nothing.
func TestPackOfflineThenSync(t *testing.T) {
	site, err := demodata.Site()
	require.NoError(t, err)
	// The demo's SO-10001 (3 lines, 8 units, ships partial) alone, so it is
	// the task claimed.
	site.Orders = slices.DeleteFunc(site.Orders, func(o domain.Order) bool { return o.ID != "SO-10001" })
	h, err := demo.StartHub(filepath.Join(t.TempDir(), "hub.db"), site, synctest.Quiet())
	require.NoError(t, err)
	t.Cleanup(func() { h.Stop() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// Picking, through the hub's ingest.
	picker, _ := enrolled(t, h, "gun-1")
	claim, err := picker.ClaimTask(ctx, "u1001")
	require.NoError(t, err)
	require.Equal(t, "SO-10001", claim.Order.ID)
	drafts := []domain.Draft{domain.NewDraft(domain.EventTaskStarted, time.Now(), "u1001", domain.TaskStarted{TaskID: claim.Task.ID, Tote: "T00005"})}
	for _, l := range claim.Task.Lines {
		drafts = append(drafts, domain.NewDraft(domain.EventLinePicked, time.Now(), "u1001",
			domain.PickLine{TaskID: claim.Task.ID, Line: l.Line, SKU: l.SKU, Location: l.Location, Tote: "T00005", Picked: l.Qty}))
	}
	drafts = append(drafts, domain.NewDraft(domain.EventTaskCompleted, time.Now(), "u1001", domain.TaskCompleted{TaskID: claim.Task.ID, Tote: "T00005"}))
	sendAll(t, picker, "gun-1", drafts, api.StatusApplied)

	// The pack station, while the hub answers: the work and a block of SSCCs.
	store := synctest.OpenStore(t)
	station, token := enrolled(t, h, synctest.Device)
	require.NoError(t, store.SetToken(token))
	work, err := station.PackWork(ctx, "T00005", "")
	require.NoError(t, err)
	ssccs := sscc.NewSSCCs(store, station, sscc.SSCCConfig{BlockSize: 10, LowWater: 2}, synctest.Quiet())
	t.Cleanup(ssccs.Close)
	require.NoError(t, ssccs.Refill(ctx))

	require.NoError(t, h.Stop()) // the network is gone
	events := packOffline(t, store, ssccs, work)
	types := make([]domain.EventType, len(events))
	for i, ev := range events {
		types[i] = ev.Type
	}
	assert.Equal(t, []domain.EventType{domain.EventPackStarted, domain.EventCartonClosed, domain.EventCartonClosed,
		domain.EventPackShorted, domain.EventCartonClosed, domain.EventShipConfirmed}, types)
	stats, err := store.Stats()
	require.NoError(t, err)
	assert.Equal(t, len(events), stats.Queued, "everything waits in the outbox")

	require.NoError(t, h.Start())
	s := quickSender(t, store, h.URL(), token)
	waitStatus(t, s, func(st sender.SyncStatus) bool { return st.Online && st.Queued == 0 })
	rejected, err := store.Attention()
	require.NoError(t, err)
	require.Empty(t, rejected)

	check := func() {
		t.Helper()
		ships, err := station.Shipments(ctx)
		require.NoError(t, err)
		require.Len(t, ships, 1, "the shipment, exactly once")
		sh := ships[0]
		assert.Equal(t, domain.ShipmentShipped, sh.Status)
		assert.True(t, sh.Partial)
		require.Len(t, sh.Cartons, 3)
		for i, c := range sh.Cartons {
			assert.Equal(t, [2]int{i + 1, 3}, [2]int{c.N, c.Of}, "carton %d of 3", i+1)
			assert.True(t, c.ManualWeight)
			assert.Positive(t, c.WeightGrams)
		}
		o, err := station.Order(ctx, "SO-10001")
		require.NoError(t, err)
		assert.Equal(t, domain.OrderShippedPartial, o.Status)
		bos, err := station.OrderBackorders(ctx, "SO-10001")
		require.NoError(t, err)
		require.Len(t, bos, 1)
		assert.Equal(t, domain.Backorder{OrderID: "SO-10001", Line: 3, SKU: "WS-1010", Qty: 1, Reason: domain.ShortAtPack, UserID: "u1002", DeviceID: synctest.Device}, bos[0])
	}
	check()

	// The same events again (a device that lost its settle records): duplicates.
	res, err := station.SendEvents(ctx, api.IngestRequest{DeviceID: synctest.Device, Events: events})
	require.NoError(t, err)
	for _, r := range res.Results {
		assert.Equal(t, api.StatusDuplicate, r.Status, r.Message)
	}
	check()
}

// enrolled registers a device with the demo hub and returns its client and token.
func enrolled(t *testing.T, h *demo.Hub, dev string) (*api.Client, string) {
	reg, err := h.Store().Register(t.Context(), api.RegisterRequest{DeviceID: dev, EnrollKey: "demo-enroll-key"})
	require.NoError(t, err)
	return api.NewClient(h.URL(), nil).WithToken(reg.Token), reg.Token
}

// sendAll seals drafts as dev's events 1..n, sends them and checks each result.
func sendAll(t *testing.T, c *api.Client, dev string, drafts []domain.Draft, want string) {
	evs := make([]domain.Event, len(drafts))
	for i, d := range drafts {
		var err error
		evs[i], err = d.Seal(dev, uint64(i+1), fmt.Sprintf("%s-%d", dev, i+1))
		require.NoError(t, err)
	}
	res, err := c.SendEvents(context.Background(), api.IngestRequest{DeviceID: dev, Events: evs})
	require.NoError(t, err)
	for _, r := range res.Results {
		require.Equal(t, want, r.Status, r.Message)
	}
}

// packOffline packs work with the pure pack flow, as u1002 without a scale:
// one carton per line, line 3 one unit short, then ship confirm. Every
// input's state and events are committed to store, as the session does.
// It returns the events queued.
func packOffline(t *testing.T, store *outbox.Store, ssccs *sscc.SSCCs, work api.PackWorkResponse) []domain.Event {
	rules, err := barcode.NewRules([]barcode.Rule{
		{Kind: barcode.KindTote, Pattern: `^T\d{5}$`},
		{Kind: barcode.KindCarton, Pattern: `^CT-[A-Z0-9]+$`},
	})
	require.NoError(t, err)
	now := time.Now()
	p := flow.NewPack(flow.PackConfig{CartonTypes: work.CartonTypes}, "u1002")
	var queued []domain.Event
	commit := func(o flow.Outcome) {
		t.Helper()
		require.Nil(t, o.Problem, "step %s", p.Step)
		evs, err := store.Commit("pack:u1002", p, o.Events)
		require.NoError(t, err)
		queued = append(queued, evs...)
	}
	in := func(i flow.Input) { t.Helper(); commit(p.Handle(flow.Env{Rules: rules, SSCCs: ssccs}, i)) }
	in(flow.ScanInput(barcode.NewScan(work.Tote, now, "test")))
	commit(p.Start(flow.PackWork{Order: work.Order, Tote: work.Tote, Picked: work.Picked, Items: work.Items}, now))
	gtin := map[string]string{}
	for _, it := range work.Items {
		gtin[it.SKU] = it.GTIN
	}
	for _, l := range work.Order.Lines {
		n := l.Qty
		if l.Line == 3 {
			n-- // one missing from the tote
		}
		for range n {
			in(flow.ScanInput(barcode.NewScan(gtin[l.SKU], now, "test")))
		}
		if l.Line == 3 {
			in(flow.ActionInput(flow.ActShort, now))
			in(flow.TextInput("1", now)) // the only line still open
		}
		in(flow.TextInput("", now)) // close the carton
		in(flow.TextInput("", now)) // take the suggested carton type
		require.Equal(t, flow.PackStepWeigh, p.Step)
		in(flow.TextInput(fmt.Sprintf("%d g", p.Open.ExpectedGrams), now))
	}
	require.Equal(t, flow.PackStepConfirm, p.Step)
	require.Equal(t, 3, p.Of)
	in(flow.TextInput("", now)) // confirm the shipment
	require.True(t, p.Finished())
	return queued
}
