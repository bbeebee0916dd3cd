package hub_test

import (
	"net/http"
	"testing"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pickOrder3 picks SO-10003 into tote T00001 for u1001: line 1 in two
// picks with lots, line 2 short 5 (not found), the rest in full.
func pickOrder3(f *fixture) {
	f.t.Helper()
	require.Equal(f.t, task3, f.claim("u1001").Task.ID)
	gl := pick(1, "GL-7731", 6)
	gl.Lots = []domain.LotQty{{Lot: "L-A", Qty: 6}}
	gl2 := pick(1, "GL-7731", 4)
	gl2.Lots = []domain.LotQty{{Lot: "L-A", Qty: 2}, {Lot: "L-B", Qty: 2}}
	evs := []domain.Event{
		f.ev("k1", domain.EventTaskStarted, "u1001", domain.TaskStarted{TaskID: task3, Tote: "T00001"}),
		f.ev("k2", domain.EventLinePicked, "u1001", gl),
		f.ev("k3", domain.EventLinePicked, "u1001", gl2),
		f.ev("k4", domain.EventLineShorted, "u1001", short(2, "GL-7732", 5, domain.ShortNotFound)),
		f.ev("k5", domain.EventLinePicked, "u1001", pick(3, "SF-0201", 12)),
		f.ev("k6", domain.EventLinePicked, "u1001", pick(4, "SF-0310", 8)),
		f.ev("k7", domain.EventLinePicked, "u1001", pick(5, "MK-0100", 20)),
		f.ev("k8", domain.EventTaskCompleted, "u1001", domain.TaskCompleted{TaskID: task3, Tote: "T00001"}),
	}
	for _, r := range f.send(evs...) {
		require.Equal(f.t, api.StatusApplied, r.Status, r.Message)
	}
}

func TestPackWorkLookup(t *testing.T) {
	f := newFixture(t, demoSite(t))
	pickOrder3(f)
	cx := ctx(t)

	w, err := f.client.PackWork(cx, "T00001", "")
	require.NoError(t, err)
	assert.Equal(t, order3, w.Order.ID)
	assert.Equal(t, domain.OrderPicked, w.Order.Status)
	assert.Equal(t, "T00001", w.Tote)
	require.Len(t, w.Picked, 5, "one merged record per order line")
	assert.Equal(t, 1, w.Picked[0].Line)
	assert.Equal(t, 10, w.Picked[0].Picked)
	assert.Equal(t, []domain.LotQty{{Lot: "L-A", Qty: 8}, {Lot: "L-B", Qty: 2}}, w.Picked[0].Lots)
	assert.Equal(t, "T00001", w.Picked[0].Tote)
	assert.Equal(t, 0, w.Picked[1].Picked)
	assert.Equal(t, 5, w.Picked[1].Short)
	assert.Equal(t, domain.ShortNotFound, w.Picked[1].Reason)
	assert.Len(t, w.Items, 5)
	assert.ElementsMatch(t, f.Site.CartonTypes, w.CartonTypes)

	byOrder, err := f.client.PackWork(cx, "", order3)
	require.NoError(t, err)
	assert.Equal(t, w, byOrder)

	cartons, err := f.client.CartonTypes(cx)
	require.NoError(t, err)
	assert.ElementsMatch(t, f.Site.CartonTypes, cartons)

	_, err = f.client.PackWork(cx, "T09999", "")
	requireAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
	_, err = f.client.PackWork(cx, "", "SO-0")
	requireAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
	_, err = f.client.PackWork(cx, "", "")
	requireAPIError(t, err, http.StatusBadRequest, api.CodeBadRequest)
	_, err = f.client.PackWork(cx, "T00001", order3)
	requireAPIError(t, err, http.StatusBadRequest, api.CodeBadRequest)

	// The tote still holds SO-10003's picked goods: it is refused for
	// SO-10004, naming the order it holds, and still finds SO-10003.
	require.Equal(t, "T-SO-10004", f.claim("u1002").Task.ID)
	res := f.send(f.ev("k9", domain.EventTaskStarted, "u1002", domain.TaskStarted{TaskID: "T-SO-10004", Tote: "T00001"}))
	require.Equal(t, api.StatusRejected, res[0].Status)
	assert.Equal(t, api.CodeToteBusy, res[0].Code)
	assert.Contains(t, res[0].Message, "SO-10003")
	w, err = f.client.PackWork(cx, "T00001", "")
	require.NoError(t, err)
	assert.Equal(t, order3, w.Order.ID)
}

// closed is carton sscc of SO-10003 holding contents.
func closed(sscc string, contents ...domain.CartonContent) domain.PackCarton {
	return domain.PackCarton{OrderID: order3, SSCC: sscc, CartonType: "CT-M2", Dims: domain.Dims{LengthMM: 350, WidthMM: 250, HeightMM: 200},
		Contents: contents, WeightGrams: 4000, ExpectedGrams: 4010}
}

func numbered(c domain.PackCarton, n, of int) domain.PackCarton {
	c.N, c.Of = n, of
	return c
}

func cc(line int, sku string, qty int) domain.CartonContent {
	return domain.CartonContent{Line: line, SKU: sku, Qty: qty}
}

func TestPackEventRules(t *testing.T) {
	f := newFixture(t, demoSite(t))
	pickOrder3(f)
	cx := ctx(t)
	mine, err := f.client.ReserveSSCCs(cx, 10)
	require.NoError(t, err)
	theirs, err := f.anon.WithToken(f.Register("gun-02")).ReserveSSCCs(cx, 10)
	require.NoError(t, err)
	sscc := func(b api.SSCCBlock, i int) string {
		s, err := b.SSCC(i)
		require.NoError(t, err)
		return s
	}
	c0, c1, c2 := sscc(mine, 0), sscc(mine, 1), sscc(mine, 2)
	badCheck := c0[:17] + string('0'+(c0[17]-'0'+1)%10)
	outside, err := api.SSCCBlock{Extension: "1", CompanyPrefix: "0614141", First: 999, Count: 1}.SSCC(0)
	require.NoError(t, err)
	l1, l3 := domain.CartonContent{Line: 1, SKU: "GL-7731", Qty: 10, Lots: []domain.LotQty{{Lot: "L-A", Qty: 8}, {Lot: "L-B", Qty: 2}}}, cc(3, "SF-0201", 12)
	shorts := []domain.PackShort{
		{OrderID: order3, Line: 2, SKU: "GL-7732", Short: 5, Backorder: true},
		{OrderID: order3, Line: 4, SKU: "SF-0310", Short: 3, Backorder: true},
	}
	confirm := domain.ShipConfirm{OrderID: order3, Tote: "T00001", Short: shorts, Partial: true,
		Cartons: []domain.PackCarton{numbered(closed(c1, l1, l3), 1, 2), numbered(closed(c2, cc(4, "SF-0310", 5), cc(5, "MK-0100", 20)), 2, 2)}}
	misnumbered := confirm
	misnumbered.Cartons = []domain.PackCarton{confirm.Cartons[0], numbered(confirm.Cartons[1], 2, 3)}
	withVoid := confirm
	withVoid.Cartons = []domain.PackCarton{numbered(closed(c0, l1, l3), 1, 2), confirm.Cartons[1]}
	u := "u1001"
	steps := []struct {
		name string
		typ  domain.EventType
		p    any
		code string // "" means applied
	}{
		{"carton before start", domain.EventCartonClosed, closed(c0, l1), api.CodeNotPacking},
		{"start unknown order", domain.EventPackStarted, domain.PackStarted{OrderID: "SO-0"}, api.CodeNotFound},
		{"start", domain.EventPackStarted, domain.PackStarted{OrderID: order3, Tote: "T00001"}, ""},
		{"another device's SSCC", domain.EventCartonClosed, closed(sscc(theirs, 0), l1), api.CodeSSCCInvalid},
		{"bad check digit", domain.EventCartonClosed, closed(badCheck, l1), api.CodeSSCCInvalid},
		{"SSCC in no block", domain.EventCartonClosed, closed(outside, l1), api.CodeSSCCInvalid},
		{"not an SSCC", domain.EventCartonClosed, closed("12345", l1), api.CodeSSCCInvalid},
		{"unknown line", domain.EventCartonClosed, closed(c0, cc(9, "GL-7731", 1)), api.CodeUnknownLine},
		{"wrong item", domain.EventCartonClosed, closed(c0, cc(1, "MK-0100", 1)), api.CodeUnknownItem},
		{"more than ordered", domain.EventCartonClosed, closed(c0, cc(1, "GL-7731", 11)), api.CodeOverQuantity},
		{"close", domain.EventCartonClosed, closed(c0, l1, l3), ""},
		{"same SSCC again", domain.EventCartonClosed, closed(c0, cc(5, "MK-0100", 1)), api.CodeSSCCUsed},
		{"more than ordered over cartons", domain.EventCartonClosed, closed(c1, cc(1, "GL-7731", 1)), api.CodeOverQuantity},
		{"audit", domain.EventCartonAudit, domain.CartonAudit{OrderID: order3, CartonType: "CT-M2", Decision: domain.AuditReweigh}, ""},
		{"unpack unknown carton", domain.EventCartonUnpacked, domain.CartonUnpacked{OrderID: order3, SSCC: c2}, api.CodeNotFound},
		{"unpack", domain.EventCartonUnpacked, domain.CartonUnpacked{OrderID: order3, SSCC: c0, Contents: []domain.CartonContent{l1, l3}}, ""},
		{"void SSCC again", domain.EventCartonClosed, closed(c0, l1, l3), api.CodeSSCCUsed},
		{"close again", domain.EventCartonClosed, closed(c1, l1, l3), ""},
		{"short more than ordered", domain.EventPackShorted, domain.PackShort{OrderID: order3, Line: 4, SKU: "SF-0310", Short: 9, Backorder: true}, api.CodeOverQuantity},
		{"short", domain.EventPackShorted, shorts[1], ""},
		{"close the last", domain.EventCartonClosed, closed(c2, cc(4, "SF-0310", 5), cc(5, "MK-0100", 20)), ""},
		{"misnumbered", domain.EventShipConfirmed, misnumbered, api.CodeBadRequest},
		{"void SSCC shipped", domain.EventShipConfirmed, withVoid, api.CodeSSCCUsed},
		{"ship", domain.EventShipConfirmed, confirm, ""},
		{"ship again", domain.EventShipConfirmed, confirm, api.CodeOrderShipped},
		{"pack again", domain.EventPackStarted, domain.PackStarted{OrderID: order3}, api.CodeOrderShipped},
	}
	var shipEvent domain.Event
	for i, s := range steps {
		ev := f.ev("p"+string(rune('a'+i)), s.typ, u, s.p)
		if s.name == "ship" {
			shipEvent = ev
		}
		r := f.send(ev)[0]
		if s.code == "" {
			assert.Equal(t, api.StatusApplied, r.Status, "%s: %s", s.name, r.Message)
		} else {
			assert.Equal(t, api.StatusRejected, r.Status, s.name)
			assert.Equal(t, s.code, r.Code, "%s: %s", s.name, r.Message)
		}
	}
	again, err := f.client.SendEvents(cx, api.IngestRequest{DeviceID: testDevice, Events: []domain.Event{shipEvent}})
	require.NoError(t, err)
	assert.Equal(t, api.StatusDuplicate, again.Results[0].Status)

	assert.Equal(t, domain.OrderShippedPartial, f.order(order3).Status)
	ships, err := f.client.Shipments(cx)
	require.NoError(t, err)
	require.Len(t, ships, 1)
	ship, err := f.client.Shipment(cx, order3)
	require.NoError(t, err)
	assert.Equal(t, ships[0], ship)
	assert.Equal(t, domain.ShipmentShipped, ship.Status)
	assert.Equal(t, confirm.Cartons, ship.Cartons, "contents, lots, weights, dims, carton n of m")
	assert.Equal(t, []string{c0}, ship.Voided)
	assert.Len(t, ship.Audits, 1)
	assert.True(t, ship.Partial)
	assert.Equal(t, testDevice, ship.DeviceID)
	assert.False(t, ship.ShippedAt.IsZero())
	bos, err := f.client.OrderBackorders(cx, order3)
	require.NoError(t, err)
	require.Len(t, bos, 2, "the pick short and the pack short, each once")
	assert.Equal(t, domain.ShortNotFound, bos[0].Reason)
	assert.Equal(t, domain.Backorder{OrderID: order3, Line: 4, SKU: "SF-0310", Qty: 3, Reason: domain.ShortAtPack, UserID: u, DeviceID: testDevice}, bos[1])

	_, err = f.client.PackWork(cx, "T00001", "")
	requireAPIError(t, err, http.StatusConflict, api.CodeOrderShipped)
	_, err = f.client.Shipment(cx, "SO-10001")
	requireAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
}

// TestPackShipCompleteHeld: a ship-complete order may not ship short; held,
// it can be packed again, and the cartons of the first pack are void.
func TestPackShipCompleteHeld(t *testing.T) {
	f := newFixture(t, demoSite(t))
	f.claim("u1001")
	require.Equal(t, "T-SO-10004", f.claim("u1002").Task.ID)
	cx := ctx(t)
	block, err := f.client.ReserveSSCCs(cx, 3)
	require.NoError(t, err)
	s0, err := block.SSCC(0)
	require.NoError(t, err)
	s1, err := block.SSCC(1)
	require.NoError(t, err)
	const id = "SO-10004"
	carton := domain.PackCarton{OrderID: id, SSCC: s0, CartonType: "CT-FRZ1", Contents: []domain.CartonContent{cc(1, "FZ-3301", 6)}, N: 1, Of: 1}
	short := []domain.PackShort{{OrderID: id, Line: 2, SKU: "FZ-3302", Short: 4}, {OrderID: id, Line: 3, SKU: "IC-2001", Short: 8}}
	res := f.send(
		f.ev("h1", domain.EventPackStarted, "u1002", domain.PackStarted{OrderID: id}),
		f.ev("h2", domain.EventCartonClosed, "u1002", carton),
		f.ev("h3", domain.EventShipConfirmed, "u1002", domain.ShipConfirm{OrderID: id, Cartons: []domain.PackCarton{carton}, Short: short, Partial: true}),
		f.ev("h4", domain.EventPackHeld, "u1002", domain.PackHold{OrderID: id, Reason: domain.HoldShipComplete, Cartons: []domain.PackCarton{carton}, Short: short}),
		f.ev("h5", domain.EventCartonClosed, "u1002", carton),
	)
	codes := []string{res[0].Code, res[1].Code, res[2].Code, res[3].Code, res[4].Code}
	assert.Equal(t, []string{"", "", api.CodeShipIncomplete, "", api.CodeNotPacking}, codes)
	o := f.order(id)
	assert.Equal(t, domain.OrderHeld, o.Status)
	assert.Equal(t, domain.HoldShipComplete, o.HoldReason)
	ship, err := f.client.Shipment(cx, id)
	require.NoError(t, err)
	assert.Equal(t, domain.ShipmentHeld, ship.Status)
	assert.Equal(t, short, ship.Short)
	_, err = f.client.PackWork(cx, "", id)
	require.NoError(t, err, "a held order can be packed again")

	carton.SSCC = s1
	carton.Contents = []domain.CartonContent{cc(1, "FZ-3301", 6), cc(2, "FZ-3302", 4), cc(3, "IC-2001", 8)}
	res = f.send(
		f.ev("h6", domain.EventPackStarted, "u1002", domain.PackStarted{OrderID: id}),
		f.ev("h7", domain.EventShipConfirmed, "u1002", domain.ShipConfirm{OrderID: id, Cartons: []domain.PackCarton{carton}}),
	)
	assert.Equal(t, []string{api.StatusApplied, api.StatusApplied}, []string{res[0].Status, res[1].Status}, res[1].Message)
	o = f.order(id)
	assert.Equal(t, domain.OrderShipped, o.Status)
	assert.Empty(t, o.HoldReason)
	ship, err = f.client.Shipment(cx, id)
	require.NoError(t, err)
	assert.Equal(t, []string{s0}, ship.Voided, "the first pack's carton is void")
	assert.False(t, ship.Partial)
	bos, err := f.client.OrderBackorders(cx, id)
	require.NoError(t, err)
	assert.Empty(t, bos)
}

// TestHeldPackResumedKeepsItsCartons: the pack work of a held order
// carries its closed cartons; a pack.started that resumes them (at another
// station too) keeps them instead of voiding them, and the shipment
// confirms with them.
func TestHeldPackResumedKeepsItsCartons(t *testing.T) {
	f := newFixture(t, demoSite(t))
	pickOrder3(f)
	cx := ctx(t)
	block, err := f.client.ReserveSSCCs(cx, 1)
	require.NoError(t, err)
	s0, err := block.SSCC(0)
	require.NoError(t, err)
	first := closed(s0, cc(1, "GL-7731", 10))
	res := f.send(
		f.ev("r1", domain.EventPackStarted, "u1001", domain.PackStarted{OrderID: order3, Tote: "T00001"}),
		f.ev("r2", domain.EventCartonClosed, "u1001", first),
		f.ev("r3", domain.EventPackHeld, "u1001", domain.PackHold{OrderID: order3, Reason: domain.HoldDamaged, Cartons: []domain.PackCarton{first}}),
	)
	for _, r := range res {
		require.Equal(t, api.StatusApplied, r.Status, r.Message)
	}
	w, err := f.client.PackWork(cx, "", order3)
	require.NoError(t, err)
	require.Len(t, w.HeldCartons, 1)
	assert.Equal(t, s0, w.HeldCartons[0].SSCC)

	// Another station resumes it.
	other := f.anon.WithToken(f.Register("gun-02"))
	b2, err := other.ReserveSSCCs(cx, 1)
	require.NoError(t, err)
	s1, err := b2.SSCC(0)
	require.NoError(t, err)
	second := closed(s1, cc(3, "SF-0201", 12))
	one, two := first, second
	one.N, one.Of, two.N, two.Of = 1, 2, 2, 2
	out, err := other.SendEvents(cx, api.IngestRequest{DeviceID: "gun-02", Events: []domain.Event{
		sealed(t, "gun-02", 1, "o1", domain.EventPackStarted, "u1002", domain.PackStarted{OrderID: order3, Resume: true, Kept: []string{s0}}),
		sealed(t, "gun-02", 2, "o2", domain.EventCartonClosed, "u1002", second),
		sealed(t, "gun-02", 3, "o3", domain.EventShipConfirmed, "u1002", domain.ShipConfirm{OrderID: order3, Cartons: []domain.PackCarton{one, two}, Partial: true}),
	}})
	require.NoError(t, err)
	require.Len(t, out.Results, 3)
	for _, r := range out.Results {
		assert.Equal(t, api.StatusApplied, r.Status, r.Message)
	}
	ship, err := f.client.Shipment(cx, order3)
	require.NoError(t, err)
	assert.Equal(t, domain.ShipmentShipped, ship.Status)
	assert.Empty(t, ship.Voided, "the held carton was kept, not voided")
	assert.Len(t, ship.Cartons, 2)
}
