package hub_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dockFixture is a hub with the demo site and a block of SSCCs reserved by
// testDevice, to ship orders and work the dock.
type dockFixture struct {
	*fixture
	block api.SSCCBlock
	next  int // the next SSCC of block
}

func newDockFixture(t *testing.T) *dockFixture {
	f := newFixture(t, demoSite(t))
	b, err := f.client.ReserveSSCCs(ctx(t), 100)
	require.NoError(t, err)
	return &dockFixture{fixture: f, block: b}
}

// sscc is the next SSCC of the fixture's block.
func (d *dockFixture) sscc() string {
	d.t.Helper()
	s, err := d.block.SSCC(d.next)
	require.NoError(d.t, err)
	d.next++
	return s
}

// ship packs every line of an order at testDevice and ships it in n
// cartons (line i in carton i mod n); it returns the cartons' SSCCs.
func (d *dockFixture) ship(orderID string, n int) []string {
	d.t.Helper()
	o := d.order(orderID)
	require.LessOrEqual(d.t, n, len(o.Lines))
	cartons := make([]domain.PackCarton, n)
	ssccs := make([]string, n)
	for i := range cartons {
		ssccs[i] = d.sscc()
		cartons[i] = domain.PackCarton{OrderID: orderID, SSCC: ssccs[i], CartonType: "CT-M2", N: i + 1, Of: n,
			Dims: domain.Dims{LengthMM: 350, WidthMM: 250, HeightMM: 200}, WeightGrams: 2000 + i, ExpectedGrams: 2000}
	}
	for i, l := range o.Lines {
		c := &cartons[i%n]
		ct := domain.CartonContent{Line: l.Line, SKU: l.SKU, Qty: l.Qty}
		it, err := d.client.Item(ctx(d.t), l.SKU)
		require.NoError(d.t, err)
		switch it.Tracking {
		case domain.TrackLot:
			ct.Lots = []domain.LotQty{{Lot: "L-" + l.SKU, Qty: l.Qty}}
		case domain.TrackSerial:
			for u := range l.Qty {
				ct.Serials = append(ct.Serials, fmt.Sprintf("SN-%s-%s-%d", orderID, l.SKU, u))
			}
		}
		c.Contents = append(c.Contents, ct)
	}
	res := d.send(
		d.ev("ship-start-"+orderID, domain.EventPackStarted, "u1002", domain.PackStarted{OrderID: orderID}),
		d.ev("ship-"+orderID, domain.EventShipConfirmed, "u1002", domain.ShipConfirm{OrderID: orderID, Cartons: cartons}))
	for _, r := range res {
		require.Equal(d.t, api.StatusApplied, r.Status, r.Message)
	}
	return ssccs
}

// dock sends one dock event from testDevice at time at and returns its
// result's code ("" when applied).
func (d *dockFixture) dock(typ domain.EventType, at time.Time, payload any) string {
	d.t.Helper()
	d.seq++
	ev, err := domain.NewDraft(typ, at, "u1001", payload).Seal(testDevice, d.seq, fmt.Sprintf("dock-%d", d.seq))
	require.NoError(d.t, err)
	r := d.send(ev)[0]
	if r.Status == api.StatusApplied {
		return ""
	}
	require.Equal(d.t, api.StatusRejected, r.Status)
	return r.Code
}

func (d *dockFixture) stage(sscc, lane string) string {
	return d.dock(domain.EventCartonStaged, time.Now(), domain.CartonStaged{SSCC: sscc, Lane: lane})
}

func (d *dockFixture) load(loadID, sscc string) string {
	return d.dock(domain.EventCartonLoaded, time.Now(), domain.CartonLoaded{LoadID: loadID, SSCC: sscc})
}

func (d *dockFixture) close(at time.Time, p domain.LoadClosed) string {
	return d.dock(domain.EventLoadClosed, at, p)
}

func (d *dockFixture) view(id string) api.LoadView {
	d.t.Helper()
	v, err := d.client.Load(ctx(d.t), id)
	require.NoError(d.t, err)
	return v
}

// loadChanges lists the changes feed's load changes as "kind load order".
func (d *dockFixture) loadChanges() []string {
	d.t.Helper()
	page, err := d.client.Changes(ctx(d.t), 0, 0)
	require.NoError(d.t, err)
	var out []string
	for _, c := range page.Changes {
		if c.LoadID != "" {
			out = append(out, c.Kind+" "+c.LoadID+" "+c.OrderID)
		}
	}
	return out
}

func ssccsOf(cs []api.DockCarton) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.SSCC)
	}
	return out
}

var early = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC) // before the demo's LD-0001 (16:00)

func TestCreateLoadRefusals(t *testing.T) {
	d := newDockFixture(t)
	admin, cx := d.admin(), ctx(t)
	ok := api.CreateLoadRequest{Carrier: "DEMO", Service: "Ground", Door: "DOOR-03", Lane: "STG-03", ScheduledAt: early}
	with := func(f func(*api.CreateLoadRequest)) api.CreateLoadRequest {
		r := ok
		f(&r)
		return r
	}
	for name, c := range map[string]struct {
		req    api.CreateLoadRequest
		status int
		code   string
	}{
		"unknown carrier":           {with(func(r *api.CreateLoadRequest) { r.Carrier = "UPSX" }), http.StatusBadRequest, api.CodeBadRequest},
		"unknown service":           {with(func(r *api.CreateLoadRequest) { r.Service = "Parcel" }), http.StatusBadRequest, api.CodeBadRequest},
		"unknown door":              {with(func(r *api.CreateLoadRequest) { r.Door = "DOOR-99" }), http.StatusBadRequest, api.CodeBadRequest},
		"no door":                   {with(func(r *api.CreateLoadRequest) { r.Door = "" }), http.StatusBadRequest, api.CodeBadRequest},
		"unknown lane":              {with(func(r *api.CreateLoadRequest) { r.Lane = "STG-99" }), http.StatusBadRequest, api.CodeBadRequest},
		"no schedule":               {with(func(r *api.CreateLoadRequest) { r.ScheduledAt = time.Time{} }), http.StatusBadRequest, api.CodeBadRequest},
		"bad id":                    {with(func(r *api.CreateLoadRequest) { r.ID = "LD/1" }), http.StatusBadRequest, api.CodeBadRequest},
		"too many orders":           {with(func(r *api.CreateLoadRequest) { r.Orders = make([]string, 1001) }), http.StatusBadRequest, api.CodeBadRequest},
		"order twice":               {with(func(r *api.CreateLoadRequest) { r.Orders = []string{"SO-10001", "SO-10001"} }), http.StatusBadRequest, api.CodeBadRequest},
		"unknown order":             {with(func(r *api.CreateLoadRequest) { r.Orders = []string{"SO-0"} }), http.StatusNotFound, api.CodeNotFound},
		"id taken":                  {with(func(r *api.CreateLoadRequest) { r.ID = "LD-0001" }), http.StatusConflict, api.CodeConflict},
		"long trailer":              {with(func(r *api.CreateLoadRequest) { r.Trailer = string(make([]byte, 513)) }), http.StatusBadRequest, api.CodeBadRequest},
		"trailer over the 856's 10": {with(func(r *api.CreateLoadRequest) { r.Trailer = "TRAILER-123" }), http.StatusBadRequest, api.CodeBadRequest},
		"PRO with a separator":      {with(func(r *api.CreateLoadRequest) { r.PRO = "PRO*1" }), http.StatusBadRequest, api.CodeBadRequest},
		"id over the 856's 30":      {with(func(r *api.CreateLoadRequest) { r.ID = "LD-0123456789-0123456789-012345" }), http.StatusBadRequest, api.CodeBadRequest},
		"device, no lead":           {ok, http.StatusUnauthorized, api.CodeLeadSessionRequired},
	} {
		cl := admin
		if name == "device, no lead" {
			cl = d.client
		}
		_, err := cl.CreateLoad(cx, c.req)
		requireAPIError(t, err, c.status, c.code)
	}

	first, err := admin.CreateLoad(cx, with(func(r *api.CreateLoadRequest) { r.Orders = []string{"SO-10001"} }))
	require.NoError(t, err)
	assert.Equal(t, "LD-0003", first.ID, "numbered after the demo's two loads")
	assert.Equal(t, domain.LoadStatusOpen, first.Status)
	assert.Equal(t, []string{"SO-10001"}, first.Orders)
	assert.Empty(t, first.Planned, "SO-10001 has not shipped")
	_, err = admin.CreateLoad(cx, with(func(r *api.CreateLoadRequest) { r.Orders = []string{"SO-10001"} }))
	requireAPIError(t, err, http.StatusConflict, api.CodeWrongLoad)

	_, err = admin.CancelOrder(cx, "SO-10002", "customer called")
	require.NoError(t, err)
	_, err = admin.CreateLoad(cx, api.CreateLoadRequest{Carrier: "NLX", Service: "Parcel", Door: "DOOR-04", ScheduledAt: early, Orders: []string{"SO-10002"}})
	requireAPIError(t, err, http.StatusConflict, api.CodeOrderCancelled)

	named, err := admin.CreateLoad(cx, api.CreateLoadRequest{ID: "NLX-7", Carrier: "NLX", Service: "Parcel", Door: "DOOR-04", ScheduledAt: early})
	require.NoError(t, err)
	assert.Equal(t, "NLX-7", named.ID)
	assert.Equal(t, []string{"load_created LD-0003 ", "load_created NLX-7 "}, d.loadChanges())

	all, err := d.client.Loads(cx, "")
	require.NoError(t, err)
	var ids []string
	for _, l := range all {
		ids = append(ids, l.ID)
	}
	assert.Equal(t, []string{"LD-0001", "LD-0002", "LD-0003", "NLX-7"}, ids)
	closed, err := d.client.Loads(cx, "closed")
	require.NoError(t, err)
	assert.Empty(t, closed)
	_, err = d.client.Loads(cx, "shut")
	requireAPIError(t, err, http.StatusBadRequest, api.CodeBadRequest)
	_, err = d.client.Load(cx, "LD-9999")
	requireAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
}

// Orders shipping join the first open load of their carrier and service
// by pickup time, or the load they are planned on; each is a load change.
func TestShippedOrdersArePlannedByCarrierAndService(t *testing.T) {
	d := newDockFixture(t)
	admin, cx := d.admin(), ctx(t)
	ld3, err := admin.CreateLoad(cx, api.CreateLoadRequest{Carrier: "DEMO", Service: "Ground", Door: "DOOR-03", Lane: "STG-03", ScheduledAt: early, Orders: []string{"SO-10001"}})
	require.NoError(t, err)

	so3 := d.ship("SO-10003", 2) // DEMO Ground: LD-0003 is before LD-0001
	so1 := d.ship("SO-10001", 1) // planned on LD-0003 at creation
	so9 := d.ship("SO-10009", 1) // DEMO Express: LD-0002
	d.ship("SO-10002", 1)        // NLX Parcel: no load

	v := d.view(ld3.ID)
	assert.Equal(t, []string{"SO-10001", "SO-10003"}, v.Orders)
	assert.ElementsMatch(t, append(slices.Clone(so1), so3...), ssccsOf(v.Planned))
	assert.ElementsMatch(t, ssccsOf(v.Planned), ssccsOf(v.Missing))
	assert.Equal(t, []string{"SO-10001", "SO-10003"}, v.MissingOrders)
	assert.Equal(t, []string{"SO-10009"}, d.view("LD-0002").Orders)
	assert.Empty(t, d.view("LD-0001").Orders)
	assert.Equal(t, []string{"load_created LD-0003 ", "load_changed LD-0003 SO-10003", "load_changed LD-0003 SO-10001", "load_changed LD-0002 SO-10009"},
		d.loadChanges())

	dock, err := d.client.Dock(cx)
	require.NoError(t, err)
	require.Len(t, dock.Loads, 3)
	byCarton := map[string]api.DockCarton{}
	for _, c := range dock.Cartons {
		byCarton[c.SSCC] = c
	}
	assert.Len(t, byCarton, 5)
	assert.Equal(t, api.DockCarton{SSCC: so9[0], OrderID: "SO-10009", N: 1, Of: 1, WeightGrams: 2000, Carrier: "DEMO", Service: "Express",
		OrderStatus: domain.OrderShipped, LoadID: "LD-0002"}, byCarton[so9[0]])
	assert.Equal(t, 2, byCarton[so3[1]].N)
	assert.Equal(t, 2, byCarton[so3[1]].Of)
	assert.Equal(t, ld3.ID, byCarton[so3[1]].LoadID)
}

// Every refusal of dock.carton_staged and dock.carton_loaded, with its code.
func TestDockEventRefusals(t *testing.T) {
	d := newDockFixture(t)
	admin, cx := d.admin(), ctx(t)
	ld3, err := admin.CreateLoad(cx, api.CreateLoadRequest{Carrier: "DEMO", Service: "Ground", Door: "DOOR-03", Lane: "STG-03", ScheduledAt: early,
		Orders: []string{"SO-10004"}})
	require.NoError(t, err)
	so3 := d.ship("SO-10003", 2)
	nlx := d.ship("SO-10002", 1)
	so8 := d.ship("SO-10008", 1)
	_, err = admin.CancelOrder(cx, "SO-10008", "customer called") // shipped, planned on an open load: it may be
	require.NoError(t, err)
	assert.Contains(t, d.loadChanges(), "load_changed LD-0003 SO-10008")
	// SO-10004 is at the pack station: a closed carton, not shipped.
	packed := d.sscc()
	res := d.send(d.ev("p4", domain.EventPackStarted, "u1002", domain.PackStarted{OrderID: "SO-10004"}),
		d.ev("p4c", domain.EventCartonClosed, "u1002", domain.PackCarton{OrderID: "SO-10004", SSCC: packed, CartonType: "CT-S1",
			Contents: []domain.CartonContent{{Line: 1, SKU: d.order("SO-10004").Lines[0].SKU, Qty: 1}}}))
	require.Equal(t, api.StatusApplied, res[1].Status, res[1].Message)

	steps := []struct {
		name, code string
		do         func() string
	}{
		{"stage an SSCC never packed", api.CodeUnknownSSCC, func() string { return d.stage(d.sscc(), "STG-03") }},
		{"stage in a lane the site does not have", api.CodeNotFound, func() string { return d.stage(so3[0], "STG-09") }},
		{"stage in another load's lane", api.CodeWrongLoad, func() string { return d.stage(so3[0], "STG-01") }},
		{"stage a packed, unshipped carton", api.CodeOrderHeld, func() string { return d.stage(packed, "STG-03") }},
		{"stage a cancelled order's carton", api.CodeOrderCancelled, func() string { return d.stage(so8[0], "STG-03") }},
		{"stage", "", func() string { return d.stage(so3[0], "STG-03") }},
		{"stage a carton of no load anywhere", "", func() string { return d.stage(nlx[0], "STG-04") }},
		{"load onto no load", api.CodeNotFound, func() string { return d.load("LD-9999", so3[0]) }},
		{"load an unknown SSCC", api.CodeUnknownSSCC, func() string { return d.load(ld3.ID, d.sscc()) }},
		{"load a cancelled order's carton", api.CodeOrderCancelled, func() string { return d.load(ld3.ID, so8[0]) }},
		{"load a packed, unshipped carton", api.CodeOrderHeld, func() string { return d.load(ld3.ID, packed) }},
		{"load onto another load than planned", api.CodeWrongLoad, func() string { return d.load("LD-0001", so3[0]) }},
		{"load another carrier's carton", api.CodeWrongLoad, func() string { return d.load(ld3.ID, nlx[0]) }},
		{"load", "", func() string { return d.load(ld3.ID, so3[0]) }},
		{"load it again", api.CodeAlreadyLoaded, func() string { return d.load(ld3.ID, so3[0]) }},
		{"stage a loaded carton", api.CodeAlreadyLoaded, func() string { return d.stage(so3[0], "STG-03") }},
	}
	for _, s := range steps {
		assert.Equal(t, s.code, s.do(), s.name)
	}
	// SO-10004 held: its carton stays order_held.
	res = d.send(d.ev("p4h", domain.EventPackHeld, "u1002", domain.PackHold{OrderID: "SO-10004", Reason: domain.HoldDamaged}))
	require.Equal(t, api.StatusApplied, res[0].Status, res[0].Message)
	assert.Equal(t, api.CodeOrderHeld, d.load(ld3.ID, packed))
	assert.Contains(t, d.loadChanges(), "load_changed LD-0003 SO-10004", "an order planned on the load was held")

	v := d.view(ld3.ID)
	assert.Equal(t, domain.LoadStatusLoading, v.Status)
	require.Len(t, v.Loaded, 1)
	assert.Equal(t, domain.LoadedCarton{SSCC: so3[0], OrderID: "SO-10003", At: v.Loaded[0].At, UserID: "u1001", DeviceID: testDevice}, v.Loaded[0])
	assert.Equal(t, []string{so3[1]}, ssccsOf(v.Missing), "the cancelled order's carton is not planned")

	dock, err := d.client.Dock(cx)
	require.NoError(t, err)
	byCarton := map[string]api.DockCarton{}
	for _, c := range dock.Cartons {
		byCarton[c.SSCC] = c
	}
	assert.Equal(t, "STG-03", byCarton[so3[0]].Lane)
	assert.Equal(t, ld3.ID, byCarton[so3[0]].LoadedOn)
	assert.Equal(t, "STG-04", byCarton[nlx[0]].Lane)
	assert.Equal(t, domain.OrderCancelled, byCarton[so8[0]].OrderStatus, "a cancelled order's carton is listed, to refuse by name")
	assert.Equal(t, domain.OrderHeld, byCarton[packed].OrderStatus, "so is a held order's")

	// An order shipped on no load joins the load of its carrier and service
	// its first carton goes onto.
	nl, err := admin.CreateLoad(cx, api.CreateLoadRequest{Carrier: "NLX", Service: "Parcel", Door: "DOOR-04", ScheduledAt: early})
	require.NoError(t, err)
	assert.Empty(t, nl.Orders)
	assert.Equal(t, "", d.load(nl.ID, nlx[0]))
	assert.Equal(t, []string{"SO-10002"}, d.view(nl.ID).Orders)
	assert.Contains(t, d.loadChanges(), "load_changed "+nl.ID+" SO-10002")
}

// A load closed short lists exactly the cartons missing, with the override
// of a lead who held a lead session at the closing device when it closed,
// and a reason; each short carton is an exception, released (planned on no
// load: hub/dock_release_test.go). A closed load takes no more events, and
// an order with a carton on it is not cancelled any more.
func TestShortClose(t *testing.T) {
	d := newDockFixture(t)
	admin, cx := d.admin(), ctx(t)
	so3 := d.ship("SO-10003", 2) // DEMO Ground: LD-0001
	so1 := d.ship("SO-10001", 1)
	require.Equal(t, "", d.load("LD-0001", so3[0]))
	missing := []domain.ShortCarton{{SSCC: so3[1], OrderID: "SO-10003"}, {SSCC: so1[0], OrderID: "SO-10001"}}
	override := &domain.LoadOverride{LeadID: "u1003", Reason: "trailer full; next pickup"}
	now := time.Now()
	closing := func(short []domain.ShortCarton, o *domain.LoadOverride) domain.LoadClosed {
		return domain.LoadClosed{LoadID: "LD-0001", Seal: "SEAL-88", Short: short, Override: o}
	}

	assert.Equal(t, api.CodeLoadIncomplete, d.close(now, closing(nil, nil)), "missing cartons, no override")
	assert.Equal(t, api.CodeLoadIncomplete, d.close(now, closing(missing[:1], override)), "a short list of less than is missing")
	assert.Equal(t, api.CodeLoadIncomplete, d.close(now, closing(append(slices.Clone(missing), domain.ShortCarton{SSCC: so3[0]}), override)),
		"a short list of a carton loaded")
	assert.Equal(t, api.CodeOverrideInvalid, d.close(now, closing(missing, override)), "no lead session at all")

	// A lead session at another device does not count.
	other := d.anon.WithToken(d.Register("gun-02"))
	_, err := other.LeadLogin(cx, "U1003", demoLeadPIN)
	require.NoError(t, err)
	assert.Equal(t, api.CodeOverrideInvalid, d.close(now, closing(missing, override)), "the lead session is gun-02's")

	_, err = d.client.LeadLogin(cx, "U1003", demoLeadPIN)
	require.NoError(t, err)
	now = time.Now()
	assert.Equal(t, api.CodeOverrideInvalid, d.close(now.Add(-time.Hour), closing(missing, override)), "closed before the session")
	assert.Equal(t, api.CodeOverrideInvalid, d.close(now.Add(hub.LeadSessionTTL+time.Minute), closing(missing, override)), "closed after it ended")
	assert.Equal(t, api.CodeOverrideInvalid, d.close(now, closing(missing, &domain.LoadOverride{LeadID: "u1003"})), "no reason")
	assert.Equal(t, api.CodeOverrideInvalid, d.close(now, closing(missing, &domain.LoadOverride{LeadID: "u1001", Reason: "x"})), "not a lead")
	assert.Equal(t, "", d.close(now, closing([]domain.ShortCarton{missing[1], missing[0]}, override)), "in any order")

	v := d.view("LD-0001")
	assert.Equal(t, domain.LoadStatusClosed, v.Status)
	assert.Equal(t, "SEAL-88", v.Seal)
	assert.Equal(t, "u1001", v.ClosedBy)
	assert.Equal(t, now.UTC().Truncate(time.Second), v.ClosedAt.Truncate(time.Second))
	assert.ElementsMatch(t, missing, v.Short)
	assert.Equal(t, override, v.Override)
	assert.ElementsMatch(t, []string{so3[1], so1[0]}, ssccsOf(v.Missing))

	for _, c := range []*api.Client{admin, d.client.WithLeadSession(mustLead(t, d))} {
		xs, err := c.Exceptions(cx)
		require.NoError(t, err)
		require.Len(t, xs, 2)
		for _, x := range xs {
			assert.Equal(t, "LD-0001", x.LoadID)
			assert.Equal(t, "u1003", x.LeadID)
			assert.Equal(t, override.Reason, x.Reason)
			assert.Equal(t, testDevice, x.DeviceID)
			assert.Contains(t, []string{so3[1], so1[0]}, x.SSCC)
		}
	}
	_, err = d.client.Exceptions(cx)
	requireAPIError(t, err, http.StatusUnauthorized, api.CodeLeadSessionRequired)

	assert.Equal(t, api.CodeLoadClosed, d.load("LD-0001", so3[1]))
	assert.Equal(t, api.CodeLoadClosed, d.close(time.Now(), closing(missing, override)))
	assert.Equal(t, "", d.stage(so3[1], "STG-01"), "a short carton is released: planned on no load, staged in any lane")
	assert.Contains(t, d.loadChanges(), "load_closed LD-0001 ")

	_, err = admin.CancelOrder(cx, "SO-10003", "too late")
	requireAPIError(t, err, http.StatusConflict, api.CodeLoadClosed)
	dock, err := d.client.Dock(cx)
	require.NoError(t, err)
	assert.NotContains(t, ssccsOf(dock.Cartons), so3[0], "it left")
	for _, l := range dock.Loads {
		assert.NotEqual(t, "LD-0001", l.ID)
	}
	closed, err := d.client.Loads(cx, "closed")
	require.NoError(t, err)
	require.Len(t, closed, 1)
}

func mustLead(t *testing.T, d *dockFixture) string {
	ls, err := d.client.LeadLogin(ctx(t), "U1003", demoLeadPIN)
	require.NoError(t, err)
	return ls.Token
}

// A load with every planned carton loaded closes without a lead; a close
// listing cartons short of such a load is load_incomplete, and one with a
// seal the papers cannot carry bad_request. Orders planned
// but not shipped leave the closed load for another.
func TestCompleteClose(t *testing.T) {
	d := newDockFixture(t)
	admin, cx := d.admin(), ctx(t)
	ld, err := admin.CreateLoad(cx, api.CreateLoadRequest{Carrier: "DEMO", Service: "Ground", Door: "DOOR-03", ScheduledAt: early, Orders: []string{"SO-10001"}})
	require.NoError(t, err)
	so3 := d.ship("SO-10003", 2)
	for _, s := range so3 {
		require.Equal(t, "", d.load(ld.ID, s))
	}
	assert.Equal(t, api.CodeLoadIncomplete, d.close(early, domain.LoadClosed{LoadID: ld.ID, Short: []domain.ShortCarton{{SSCC: so3[0]}}}))
	assert.Equal(t, api.CodeBadRequest, d.close(early, domain.LoadClosed{LoadID: ld.ID, Seal: "SEAL-7788991"}), "a seal over 10 characters goes on no DESADV")
	assert.Equal(t, api.CodeBadRequest, d.close(early, domain.LoadClosed{LoadID: ld.ID, Seal: "S^XZ"}))
	assert.Equal(t, "", d.close(early, domain.LoadClosed{LoadID: ld.ID, Seal: "S1"}))
	v := d.view(ld.ID)
	assert.Equal(t, domain.LoadStatusClosed, v.Status)
	assert.Empty(t, v.Short)
	assert.Nil(t, v.Override)
	assert.Equal(t, []string{"SO-10003"}, v.Orders, "SO-10001 never shipped: it is on no load now")
	so1 := d.ship("SO-10001", 1)
	assert.Equal(t, []string{"SO-10001"}, d.view("LD-0001").Orders)
	assert.Equal(t, "", d.load("LD-0001", so1[0]))
	xs, err := admin.Exceptions(cx)
	require.NoError(t, err)
	assert.Empty(t, xs)
}

func TestSeedRefusesBadDockData(t *testing.T) {
	for want, edit := range map[string]func(*domain.Site){
		"SCAC":                           func(s *domain.Site) { s.Carriers[0].SCAC = "dm1" },
		"carrier \"\"":                   func(s *domain.Site) { s.Carriers[1].Code = "" },
		"door \"DOOR-01\"":               func(s *domain.Site) { s.Doors = append(s.Doors, "DOOR-01") },
		"lane \"\"":                      func(s *domain.Site) { s.Lanes[0] = "" },
		"partner \"ACME\"":               func(s *domain.Site) { s.Partners[1].ID = "ACME" },
		"not one of the site's carriers": func(s *domain.Site) { s.Orders[0].Carrier = "UPSX" },
		"has no service":                 func(s *domain.Site) { s.Orders[0].Service = "Pallet" },
		"without a carrier":              func(s *domain.Site) { s.Orders[0].Carrier = "" },
		"trading partner":                func(s *domain.Site) { s.Orders[0].Partner = "WALLY" },
		"needs its PO":                   func(s *domain.Site) { s.Orders[2].PO = "" }, // SO-10003, ACME's
		"po \"PO~1\" holds":              func(s *domain.Site) { s.Orders[0].PO = "PO~1" },
		"load LD-0001: door":             func(s *domain.Site) { s.Loads[0].Door = "DOOR-77" },
		"load LD-0001: lane":             func(s *domain.Site) { s.Loads[0].Lane = "STG-77" },
		"unknown order SO-0":             func(s *domain.Site) { s.Loads[0].Orders = []string{"SO-0"} },
		"planned on both": func(s *domain.Site) {
			s.Loads[0].Orders, s.Loads[1].Orders = []string{"SO-10001"}, []string{"SO-10001"}
		},
		"load id \"LD-0001\"": func(s *domain.Site) { s.Loads[1].ID = "LD-0001" },
		"nothing loaded":      func(s *domain.Site) { s.Loads[0].Status = domain.LoadStatusClosed },
	} {
		site := demoSite(t)
		edit(&site)
		assert.ErrorContains(t, hubtest.NewStore(t).Seed(t.Context(), site), want)
	}
	// Without carriers, any carrier code is taken.
	site := demoSite(t)
	site.Carriers, site.Orders[0].Carrier = nil, "ANY"
	require.NoError(t, hubtest.NewStore(t).Seed(t.Context(), site))
}
