package hub

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
)

// TestComputeKPIsWithNothing: no orders, picks or loads give zero figures
// (never a division by zero) and empty rows, not null.
func TestComputeKPIsWithNothing(t *testing.T) {
	from, to := kpiDay, kpiDay.AddDate(0, 0, 1)
	got := computeKPIs(from, to, kpiFacts{})
	assert.Equal(t, api.KPIs{From: from, To: to, ByUser: []api.PickRate{}, ByZone: []api.PickRate{}}, got)
}

// TestComputeKPIsWindowBounds: the window is [from, to) for picks,
// shipments and loads, and (from, to] for deadlines; a cancelled order is
// never due; a pick at a location the hub did not know is zone "-".
func TestComputeKPIsWindowBounds(t *testing.T) {
	from, to := kpiDay, kpiDay.AddDate(0, 0, 1)
	dayBefore, lastDay := from.AddDate(0, 0, -1), from
	shipped := func(id string, promised, at time.Time, status domain.OrderStatus) orderFacts {
		return orderFacts{
			Order:    domain.Order{ID: id, Status: status, PromisedBy: promised, Lines: []domain.OrderLine{{Line: 1, Qty: 1}}},
			Shipment: &domain.Shipment{ShippedAt: at, Cartons: []domain.PackCarton{{Contents: []domain.CartonContent{{Line: 1, Qty: 1}}}}},
		}
	}
	f := kpiFacts{
		Orders: []orderFacts{
			shipped("due-at-from", dayBefore, from.Add(-time.Hour), domain.OrderShipped),               // deadline == from: not due; shipped before
			shipped("due-at-to", lastDay, to.Add(-time.Nanosecond), domain.OrderShipped),               // deadline == to: due, on time; shipped in
			shipped("shipped-at-to", lastDay, to, domain.OrderShipped),                                 // due, late (at the deadline); shipped after
			shipped("shipped-at-from", time.Time{}, from, domain.OrderShipped),                         // no promise; shipped in
			{Order: domain.Order{ID: "cancelled", Status: domain.OrderCancelled, PromisedBy: lastDay}}, // never due
		},
		Picks: []pickLogEntry{
			{At: from, UserID: "u1", Zone: "A", Units: 2},
			{At: to.Add(-time.Nanosecond), UserID: "u1", Zone: "", Units: 3},
			{At: to, UserID: "u1", Zone: "A", Units: 100},
			{At: from.Add(-time.Nanosecond), UserID: "u2", Zone: "A", Units: 100},
		},
		Loads: []domain.Load{
			{Status: domain.LoadStatusClosed, ScheduledAt: to, ClosedAt: to.Add(-time.Second)}, // closed in, on time
			{Status: domain.LoadStatusClosed, ClosedAt: from},                                  // no schedule: never late
			{Status: domain.LoadStatusClosed, ScheduledAt: from, ClosedAt: to},                 // closed after the window
			{Status: domain.LoadStatusOpen, Loaded: []domain.LoadedCarton{{At: from}, {At: to}}},
		},
	}
	got := computeKPIs(from, to, f)
	assert.Equal(t, ratio(1, 2), got.OnTimeInFull, "due-at-to on time; shipped-at-to late")
	assert.Equal(t, ratio(2, 2), got.OrderAccuracy, "due-at-to and shipped-at-from")
	assert.Equal(t, ratio(2, 2), got.FillRate)
	assert.Equal(t, api.PickRate{Units: 5, Lines: 2, Hours: 2, UnitsPerHour: 2.5, LinesPerHour: 1}, got.Picking,
		"from's hour and the last hour of the window")
	assert.Equal(t, []api.PickRate{{Key: "u1", Units: 5, Lines: 2, Hours: 2, UnitsPerHour: 2.5, LinesPerHour: 1}}, got.ByUser)
	assert.Equal(t, []api.PickRate{
		{Key: "-", Units: 3, Lines: 1, Hours: 1, UnitsPerHour: 3, LinesPerHour: 1},
		{Key: "A", Units: 2, Lines: 1, Hours: 1, UnitsPerHour: 2, LinesPerHour: 1},
	}, got.ByZone)
	assert.Equal(t, ratio(1, 1), got.CartonsPerHour)
	assert.Equal(t, ratio(0, 2), got.LateLoads)
}

// TestOrderAccuracyFaults: each fault alone makes a shipped order
// inaccurate.
func TestOrderAccuracyFaults(t *testing.T) {
	from, to := kpiDay, kpiDay.AddDate(0, 0, 1)
	base := func(id string) orderFacts {
		return orderFacts{
			Order:    domain.Order{ID: id, Status: domain.OrderShipped, Lines: []domain.OrderLine{{Line: 1, Qty: 2}}},
			Shipment: &domain.Shipment{ShippedAt: from.Add(time.Hour), Cartons: []domain.PackCarton{{Contents: []domain.CartonContent{{Line: 1, Qty: 2}}}}},
		}
	}
	pickShort, packShort, partial, backordered, held, atDock, returned := base("pick-short"), base("pack-short"), base("partial"), base("backordered"), base("held"), base("dock"), base("returned")
	pickShort.Order.Lines[0].Short = 1
	packShort.Shipment.Short = []domain.PackShort{{Line: 1, Short: 1}}
	partial.Shipment.Partial = true
	backordered.Backorders = 1
	held.Shipment.Holds = []domain.HoldReason{domain.HoldWeight}
	f := kpiFacts{
		Orders: []orderFacts{base("clean"), pickShort, packShort, partial, backordered, held, atDock, returned},
		Loads:  []domain.Load{{Short: []domain.ShortCarton{{OrderID: "dock"}}}},
		RMAs: []domain.RMA{
			{OrderID: "returned", Lines: []domain.RMALine{{Reason: "changed_mind"}, {Reason: domain.ReturnWrongItem}}},
			{OrderID: "clean", Lines: []domain.RMALine{{Reason: "changed_mind"}}},
		},
	}
	assert.Equal(t, ratio(1, 8), computeKPIs(from, to, f).OrderAccuracy)
}

// TestKPIWindow: the query's window, its defaults and what is refused.
func TestKPIWindow(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 30, 0, 0, time.UTC)
	from, to, err := kpiWindow("", "", now)
	require.NoError(t, err)
	assert.Equal(t, now.Add(-24*time.Hour), from, "the last 24 h")
	assert.Equal(t, now, to)
	from, to, err = kpiWindow("2026-03-01T00:00:00+01:00", "2026-03-02T00:00:00Z", now)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 2, 28, 23, 0, 0, 0, time.UTC), from)
	assert.Equal(t, time.UTC, from.Location())
	assert.Equal(t, time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), to)
	_, _, err = kpiWindow("", "2025-03-10T00:00:00Z", now)
	require.NoError(t, err, "to alone: the 24 h before it")

	for name, q := range map[string][2]string{
		"garbage from":  {"yesterday", ""},
		"garbage to":    {"", "2026-13-01T00:00:00Z"},
		"date only":     {"2026-03-01", ""},
		"empty":         {"2026-03-01T00:00:00Z", "2026-03-01T00:00:00Z"},
		"reversed":      {"2026-03-02T00:00:00Z", "2026-03-01T00:00:00Z"},
		"over 366 days": {"2025-03-01T00:00:00Z", "2026-03-03T00:00:00Z"},
	} {
		_, _, err := kpiWindow(q[0], q[1], now)
		assert.Equal(t, KindInvalid, kindOf(err), "%s: %v", name, err)
	}
	_, _, err = kpiWindow("2025-03-01T00:00:00Z", "2026-03-02T00:00:00Z", now)
	assert.NoError(t, err, "exactly 366 days")
}
