package hub

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/backend/backendtest"
	"github.com/rfterm/rfterm/hub/storage"
)

// kpiDay is the day of the seeded history; the window is that day.
var kpiDay = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)

// at is a time on kpiDay.
func at(h, m int) time.Time {
	return kpiDay.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
}

// kpiRig is a hub on the store under test (package backendtest) with the
// history of TestKPIsFromAHistory, written through the hub's ingest.
type kpiRig struct {
	t     *testing.T
	s     *Store
	seq   map[string]uint64
	block api.SSCCBlock
	used  int
}

// send applies one event from device and requires it applied.
func (r *kpiRig) send(device, user string, when time.Time, typ domain.EventType, p any) {
	r.t.Helper()
	r.seq[device]++
	ev, err := domain.NewDraft(typ, when, user, p).Seal(device, r.seq[device], fmt.Sprintf("%s-%d", device, r.seq[device]))
	require.NoError(r.t, err)
	res, err := r.s.Ingest(r.t.Context(), device, api.IngestRequest{DeviceID: device, Events: []domain.Event{ev}})
	require.NoError(r.t, err)
	require.Equal(r.t, api.StatusApplied, res.Results[0].Status, "%s %s: %s", typ, user, res.Results[0].Message)
}

// pickAt is one pick: units of an order line, at a time.
type pickAt struct {
	line, units int
	when        time.Time
}

// pick claims the next task for user through device, picks it into tote
// as picks say, shorts what shorts say, and completes it.
func (r *kpiRig) pick(device, user, orderID, tote string, shorts map[int]int, picks ...pickAt) {
	r.t.Helper()
	claim, err := r.s.ClaimThrough(r.t.Context(), device, user)
	require.NoError(r.t, err)
	require.Equal(r.t, orderID, claim.Order.ID)
	task := claim.Task
	first := picks[0].when
	r.send(device, user, first, domain.EventTaskStarted, domain.TaskStarted{TaskID: task.ID, Tote: tote})
	line := func(n int) domain.TaskLine {
		for _, l := range task.Lines {
			if l.Line == n {
				return l
			}
		}
		r.t.Fatalf("no line %d", n)
		return domain.TaskLine{}
	}
	last := first
	for _, p := range picks {
		l := line(p.line)
		r.send(device, user, p.when, domain.EventLinePicked, domain.PickLine{TaskID: task.ID, Line: l.Line, SKU: l.SKU, Location: l.Location, Tote: tote, Picked: p.units})
		last = p.when
	}
	for n, q := range shorts {
		l := line(n)
		r.send(device, user, last, domain.EventLineShorted, domain.PickLine{TaskID: task.ID, Line: l.Line, SKU: l.SKU, Short: q, Reason: domain.ShortNotFound})
	}
	r.send(device, user, last, domain.EventTaskCompleted, domain.TaskCompleted{TaskID: task.ID, Tote: tote})
}

// ship packs an order at pack-01 in one carton holding shipped (line ->
// units) and confirms it at when; holds are held first, each then packed again.
func (r *kpiRig) ship(orderID string, when time.Time, shipped map[int]int, holds ...domain.HoldReason) {
	r.t.Helper()
	order, ok, err := r.order(orderID)
	require.True(r.t, ok)
	require.NoError(r.t, err)
	r.send("pack-01", "u1002", when.Add(-10*time.Minute), domain.EventPackStarted, domain.PackStarted{OrderID: orderID})
	for _, h := range holds {
		r.send("pack-01", "u1002", when.Add(-9*time.Minute), domain.EventPackHeld, domain.PackHold{OrderID: orderID, Reason: h})
		r.send("pack-01", "u1002", when.Add(-8*time.Minute), domain.EventPackStarted, domain.PackStarted{OrderID: orderID})
	}
	sscc, err := r.block.SSCC(r.used)
	require.NoError(r.t, err)
	r.used++
	c := domain.PackCarton{OrderID: orderID, SSCC: sscc, CartonType: "CT-M2", N: 1, Of: 1}
	for _, l := range order.Lines {
		if q := shipped[l.Line]; q > 0 {
			c.Contents = append(c.Contents, domain.CartonContent{Line: l.Line, SKU: l.SKU, Qty: q})
		}
	}
	r.send("pack-01", "u1002", when, domain.EventShipConfirmed, domain.ShipConfirm{OrderID: orderID, Cartons: []domain.PackCarton{c}})
}

func (r *kpiRig) order(id string) (o domain.Order, ok bool, err error) {
	err = r.s.db.View(r.t.Context(), func(tx storage.Tx) error {
		o, ok, err = getOrder(tx, id)
		return err
	})
	return o, ok, err
}

// kpiSite is the demo site with the history's orders (priority = claim
// order) and RMAs.
func kpiSite(t *testing.T) domain.Site {
	site, err := demodata.Site()
	require.NoError(t, err)
	day, next := kpiDay, kpiDay.AddDate(0, 0, 1)
	order := func(id string, prio int, promised time.Time, lines ...domain.OrderLine) domain.Order {
		for i := range lines {
			lines[i].Line = i + 1
		}
		return domain.Order{ID: id, Customer: "C " + id, Priority: prio, Status: domain.OrderOpen, PromisedBy: promised, Lines: lines}
	}
	ol := func(sku string, qty int) domain.OrderLine { return domain.OrderLine{SKU: sku, Qty: qty} }
	site.Orders = []domain.Order{
		order("O1", 1, day, ol("HX-4411", 4), ol("SF-0201", 2)),         // A-01-01 (A), B-03-01 (B)
		order("O2", 2, day, ol("MK-0100", 3), ol("CH-1800", 2)),         // A-04-04 (A), B-02-02 (B)
		order("O3", 3, day, ol("TP-0048", 2)),                           // C-02-04 (C)
		order("O4", 4, time.Time{}, ol("KN-0180", 1), ol("NT-2208", 1)), // A-04-02, A-02-04 (A)
		order("O5", 5, time.Time{}, ol("SF-0310", 2)),                   // B-01-02 (B)
		order("O6", 6, day, ol("CB-2500", 1)),                           // A-03-03 (A)
		order("O7", 7, next, ol("HX-4412", 1)),                          // A-01-03 (A)
		order("O8", 8, day, ol("WS-1010", 1)),                           // never picked
	}
	site.RMAs = []domain.RMA{
		{Number: "RMA-60001", OrderID: "O5", Customer: "C O5", Lines: []domain.RMALine{{Line: 1, SKU: "SF-0310", Qty: 1, Reason: domain.ReturnWrongItem}}},
		{Number: "RMA-60002", OrderID: "O1", Customer: "C O1", Lines: []domain.RMALine{{Line: 1, SKU: "HX-4411", Qty: 1, Reason: "damaged_in_transit"}}},
	}
	return site
}

// TestKPIsFromAHistory builds a day's history through the hub's ingest
// (loads written directly: the dock's ingest is another branch's) and
// checks every figure against values worked out by hand.
//
// Window: 2026-03-10 00:00 to 2026-03-11 00:00 UTC.
//
//	order promised  picked (user, zone, units @ time)         shipped          notes
//	O1    03-10     u1001 A 3@08:10 A 1@08:15 B 2@08:20       complete 15:00   clean; RMA (not a picking error)
//	O2    03-10     u1002 A 3@09:00 B 1@09:30, 1 short        partial 16:00    short; 4 of 5 units
//	O3    03-10     u1001 C 2@10:05                           03-11 09:00      late (outside the window)
//	O4    -         u1002 A 1@11:00 A 1@11:05                 complete 17:00   held once (damaged)
//	O5    -         u1001 B 2@10:40                           complete 18:00   RMA wrong_item
//	O6    03-10     u1002 A 1@11:50                           complete 12:30   carton left short at LD-2
//	O7    03-11     u1001 A 1@03-11 00:00 (the window's end)  -                not due, pick outside
//	O8    03-10     -                                         -                due, never shipped
//
//	on time in full  O1, O6 of due O1 O2 O3 O6 O8                       2/5 = 0.4
//	order accuracy   O1 of shipped O1 O2 O4 O5 O6                       1/5 = 0.2
//	fill rate        units 6+4+2+2+1 = 15 of 6+5+2+2+1 = 16             15/16 = 0.9375
//	line fill rate   lines 2+1+2+1+1 = 7 of 8                           7/8 = 0.875
//	u1001            10 units, 5 lines, hours 08 10 = 2                 5.0 u/h, 2.5 l/h
//	u1002             7 units, 5 lines, hours 09 11 = 2                 3.5 u/h, 2.5 l/h
//	floor            17 units, 10 lines, 2+2 = 4 hours                  4.25 u/h, 2.5 l/h
//	zone A           10 units, 6 lines, hours 08 09 11 = 3              3.33 u/h, 2.0 l/h
//	zone B            5 units, 3 lines, hours 08 09 10 = 3              1.67 u/h, 1.0 l/h
//	zone C            2 units, 1 line, hour 10 = 1                      2.0 u/h, 1.0 l/h
//	cartons/hour     LD-1 15:10; LD-2 17:10 17:40 18:20; LD-4 19:05     5 cartons / hours 15 17 18 19 = 1.25
//	                 (LD-3's 03-09 carton is outside)
//	late loads       LD-2 closed 18:30 > 18:00, of LD-1 and LD-2        1/2 = 0.5 (LD-3 closed 03-09)
func TestKPIsFromAHistory(t *testing.T) {
	s := New(backendtest.Open(t, backendtest.NewDatabase(t)), WithPINCost(bcrypt.MinCost), WithMaintainEvery(0))
	t.Cleanup(func() { s.Close() })
	site := kpiSite(t)
	cx := t.Context()
	require.NoError(t, s.Seed(cx, site))
	for _, d := range []string{"gun-01", "gun-02", "pack-01"} {
		_, err := s.Register(cx, api.RegisterRequest{DeviceID: d, EnrollKey: site.EnrollKey})
		require.NoError(t, err)
	}
	block, err := s.ReserveSSCCs(cx, "pack-01", 10, time.Now())
	require.NoError(t, err)
	r := &kpiRig{t: t, s: s, seq: map[string]uint64{}, block: block}

	r.pick("gun-01", "u1001", "O1", "T00001", nil, pickAt{1, 3, at(8, 10)}, pickAt{1, 1, at(8, 15)}, pickAt{2, 2, at(8, 20)})
	r.pick("gun-02", "u1002", "O2", "T00002", map[int]int{2: 1}, pickAt{1, 3, at(9, 0)}, pickAt{2, 1, at(9, 30)})
	r.pick("gun-01", "u1001", "O3", "T00003", nil, pickAt{1, 2, at(10, 5)})
	r.pick("gun-02", "u1002", "O4", "T00004", nil, pickAt{1, 1, at(11, 0)}, pickAt{2, 1, at(11, 5)})
	r.pick("gun-01", "u1001", "O5", "T00005", nil, pickAt{1, 2, at(10, 40)})
	r.pick("gun-02", "u1002", "O6", "T00006", nil, pickAt{1, 1, at(11, 50)})
	r.pick("gun-01", "u1001", "O7", "T00007", nil, pickAt{1, 1, at(24, 0)})

	r.ship("O1", at(15, 0), map[int]int{1: 4, 2: 2})
	r.ship("O2", at(16, 0), map[int]int{1: 3, 2: 1})
	r.ship("O3", at(33, 0), map[int]int{1: 2})
	r.ship("O4", at(17, 0), map[int]int{1: 1, 2: 1}, domain.HoldDamaged)
	r.ship("O5", at(18, 0), map[int]int{1: 2})
	r.ship("O6", at(12, 30), map[int]int{1: 1})

	loaded := func(order string, when time.Time) domain.LoadedCarton {
		return domain.LoadedCarton{SSCC: "SSCC-" + order, OrderID: order, At: when, UserID: "u1002", DeviceID: "gun-02"}
	}
	loads := []domain.Load{
		{ID: "LD-1", Status: domain.LoadStatusClosed, ScheduledAt: at(16, 0), ClosedAt: at(15, 30), Loaded: []domain.LoadedCarton{loaded("O1", at(15, 10))}},
		{ID: "LD-2", Status: domain.LoadStatusClosed, ScheduledAt: at(18, 0), ClosedAt: at(18, 30),
			Loaded: []domain.LoadedCarton{loaded("O2", at(17, 10)), loaded("O4", at(17, 40)), loaded("O5", at(18, 20))},
			Short:  []domain.ShortCarton{{SSCC: "SSCC-O6", OrderID: "O6"}}},
		{ID: "LD-3", Status: domain.LoadStatusClosed, ScheduledAt: at(-5, 0), ClosedAt: at(-4, 0), Loaded: []domain.LoadedCarton{loaded("X", at(-4, 30))}},
		{ID: "LD-4", Status: domain.LoadStatusLoading, ScheduledAt: at(21, 0), Loaded: []domain.LoadedCarton{loaded("Y", at(19, 5))}},
	}
	require.NoError(t, s.db.Update(cx, func(tx storage.Tx) error {
		for _, l := range loads {
			if err := saveLoad(tx, l); err != nil {
				return err
			}
		}
		return nil
	}))

	from, to := kpiDay, kpiDay.AddDate(0, 0, 1)
	got, err := s.KPIs(cx, "u1003", from, to)
	require.NoError(t, err)
	checkOrderFigures := func(got api.KPIs) {
		t.Helper()
		assert.Equal(t, ratio(2, 5), got.OnTimeInFull, "on time in full")
		assert.Equal(t, ratio(1, 5), got.OrderAccuracy, "order accuracy")
		assert.Equal(t, api.Ratio{Numerator: 15, Denominator: 16, Value: 0.9375}, got.FillRate, "fill rate")
		assert.Equal(t, api.Ratio{Numerator: 7, Denominator: 8, Value: 0.875}, got.LineFillRate, "line fill rate")
		assert.Equal(t, api.Ratio{Numerator: 5, Denominator: 4, Value: 1.25}, got.CartonsPerHour, "cartons per hour")
		assert.Equal(t, api.Ratio{Numerator: 1, Denominator: 2, Value: 0.5}, got.LateLoads, "late loads")
	}
	checkOrderFigures(got)
	assert.Equal(t, 0.4, got.OnTimeInFull.Value)
	assert.Equal(t, 0.2, got.OrderAccuracy.Value)
	assert.Equal(t, api.PickRate{Units: 17, Lines: 10, Hours: 4, UnitsPerHour: 4.25, LinesPerHour: 2.5}, got.Picking)
	assert.Equal(t, []api.PickRate{
		{Key: "u1001", Units: 10, Lines: 5, Hours: 2, UnitsPerHour: 5, LinesPerHour: 2.5},
		{Key: "u1002", Units: 7, Lines: 5, Hours: 2, UnitsPerHour: 3.5, LinesPerHour: 2.5},
	}, got.ByUser)
	assert.Equal(t, []api.PickRate{
		{Key: "A", Units: 10, Lines: 6, Hours: 3, UnitsPerHour: 10.0 / 3, LinesPerHour: 2},
		{Key: "B", Units: 5, Lines: 3, Hours: 3, UnitsPerHour: 5.0 / 3, LinesPerHour: 1},
		{Key: "C", Units: 2, Lines: 1, Hours: 1, UnitsPerHour: 2, LinesPerHour: 1},
	}, got.ByZone)

	_, err = s.KPIs(cx, "u1001", from, to)
	assert.Equal(t, KindForbidden, kindOf(err), "an operator reads no figures: %v", err)
	_, err = s.KPIs(cx, "", to, from)
	assert.Equal(t, KindInvalid, kindOf(err), "a reversed window: %v", err)

	// Maintenance past the retention archives the orders and deletes the
	// pick log: the order and dock figures read the archive, the picking
	// ones are gone with the log.
	rep, err := s.Maintain(cx, time.Now().Add(DefaultArchiveAfter+10*24*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, 6, rep.Orders, "the six shipped orders")
	assert.Equal(t, 11, rep.PickLog, "every pick.line_picked")
	got, err = s.KPIs(cx, "", from, to)
	require.NoError(t, err)
	checkOrderFigures(got)
	assert.Equal(t, api.PickRate{}, got.Picking)
	assert.Empty(t, got.ByUser)
}
