package hub

import (
	"maps"
	"slices"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
)

// The coordinator's figures (GET /v1/kpis), computed by computeKPIs from
// kpiFacts alone, so that the definitions are tested without a store; the
// README's "Coordinator's figures" states them. Every window is [from, to)
// but the on-time one: an order is due in the window when its deadline is
// in (from, to].

// kpiFacts is what the figures are computed from (read by readKPIFacts,
// kpis_store.go).
type kpiFacts struct {
	Orders []orderFacts   // orders due or shipped in the window, live or archived
	RMAs   []domain.RMA   // every RMA: a picking-error return marks its order
	Loads  []domain.Load  // every load: cartons loaded, closes, cartons left short
	Picks  []pickLogEntry // the pick log of the window
}

// orderFacts is an order with what its accuracy depends on.
type orderFacts struct {
	Order      domain.Order
	Shipment   *domain.Shipment // nil when it was never packed
	Backorders int              // backorders recorded for it (pick, pack or ship short)
}

// deadline is the moment an order promised for day p is late: the start
// of the next UTC day. ok is false for an order with no promise.
func deadline(p time.Time) (time.Time, bool) {
	if p.IsZero() {
		return time.Time{}, false
	}
	y, m, d := p.UTC().Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC), true
}

// inWindow reports whether t is in [from, to).
func inWindow(t, from, to time.Time) bool { return !t.Before(from) && t.Before(to) }

// shippedAt is when an order shipped; ok is false for one not shipped.
func (o orderFacts) shippedAt() (time.Time, bool) {
	if !o.Order.Status.Shipped() || o.Shipment == nil || o.Shipment.ShippedAt.IsZero() {
		return time.Time{}, false
	}
	return o.Shipment.ShippedAt, true
}

// short reports whether anything of the order was short: a pick short, a
// pack short, a partial shipment or a backorder.
func (o orderFacts) short() bool {
	if o.Backorders > 0 || slices.ContainsFunc(o.Order.Lines, func(l domain.OrderLine) bool { return l.Short > 0 }) {
		return true
	}
	return o.Shipment != nil && (o.Shipment.Partial || len(o.Shipment.Short) > 0)
}

// ratio is n ÷ d with its parts; 0 when d is 0.
func ratio(n, d int) api.Ratio {
	r := api.Ratio{Numerator: n, Denominator: d}
	if d > 0 {
		r.Value = float64(n) / float64(d)
	}
	return r
}

// computeKPIs computes the figures of [from, to) from f.
func computeKPIs(from, to time.Time, f kpiFacts) api.KPIs {
	out := api.KPIs{From: from.UTC(), To: to.UTC()}
	pickingError, leftAtDock := map[string]bool{}, map[string]bool{}
	for _, r := range f.RMAs {
		if slices.ContainsFunc(r.Lines, func(l domain.RMALine) bool { return l.Reason == domain.ReturnWrongItem }) {
			pickingError[r.OrderID] = true
		}
	}
	for _, l := range f.Loads {
		for _, c := range l.Short {
			leftAtDock[c.OrderID] = true
		}
	}
	var onTime, due, clean, shipped, unitsShipped, unitsOrdered, linesFull, lines int
	for _, o := range f.Orders {
		at, isShipped := o.shippedAt()
		if dl, ok := deadline(o.Order.PromisedBy); ok && o.Order.Status != domain.OrderCancelled && dl.After(from) && !dl.After(to) {
			due++
			if isShipped && o.Order.Status == domain.OrderShipped && at.Before(dl) {
				onTime++
			}
		}
		if !isShipped || !inWindow(at, from, to) {
			continue
		}
		shipped++
		if !o.short() && len(o.Shipment.Holds) == 0 && !leftAtDock[o.Order.ID] && !pickingError[o.Order.ID] {
			clean++
		}
		packed := packedPerLine(o.Shipment.Cartons)
		for _, l := range o.Order.Lines {
			lines++
			unitsOrdered += l.Qty
			unitsShipped += min(packed[l.Line], l.Qty)
			if packed[l.Line] >= l.Qty {
				linesFull++
			}
		}
	}
	out.OnTimeInFull, out.OrderAccuracy = ratio(onTime, due), ratio(clean, shipped)
	out.FillRate, out.LineFillRate = ratio(unitsShipped, unitsOrdered), ratio(linesFull, lines)
	out.Picking, out.ByUser, out.ByZone = pickRates(from, to, f.Picks)
	out.CartonsPerHour, out.LateLoads = dockRates(from, to, f.Loads)
	return out
}

// pace sums picks for one key: units, lines and the clock hours they fell in.
type pace struct {
	units, lines int
	hours        map[time.Time]bool
}

func (p *pace) add(e pickLogEntry) {
	if p.hours == nil {
		p.hours = map[time.Time]bool{}
	}
	p.units += e.Units
	p.lines++
	p.hours[e.At.UTC().Truncate(time.Hour)] = true
}

// rate is the pace as a PickRate over hours active hours.
func (p *pace) rate(key string, hours int) api.PickRate {
	r := api.PickRate{Key: key, Units: p.units, Lines: p.lines, Hours: hours}
	if hours > 0 {
		r.UnitsPerHour, r.LinesPerHour = float64(p.units)/float64(hours), float64(p.lines)/float64(hours)
	}
	return r
}

// pickRates is the floor's pace, each user's and each zone's, in key
// order, over the picks of [from, to). The floor's active hours are the
// users' added up: two pickers busy in one clock hour are two hours.
func pickRates(from, to time.Time, picks []pickLogEntry) (api.PickRate, []api.PickRate, []api.PickRate) {
	var floor pace
	users, zones := map[string]*pace{}, map[string]*pace{}
	for _, e := range picks {
		if !inWindow(e.At, from, to) {
			continue
		}
		floor.add(e)
		paceOf(users, e.UserID).add(e)
		paceOf(zones, zoneKey(e.Zone)).add(e)
	}
	byUser, byZone, hours := []api.PickRate{}, []api.PickRate{}, 0
	for _, k := range slices.Sorted(maps.Keys(users)) {
		byUser = append(byUser, users[k].rate(k, len(users[k].hours)))
		hours += len(users[k].hours)
	}
	for _, k := range slices.Sorted(maps.Keys(zones)) {
		byZone = append(byZone, zones[k].rate(k, len(zones[k].hours)))
	}
	return floor.rate("", hours), byUser, byZone
}

// paceOf returns key's pace, making it on first use.
func paceOf(m map[string]*pace, key string) *pace {
	if m[key] == nil {
		m[key] = &pace{}
	}
	return m[key]
}

// zoneKey names a pick's zone: "-" for a location the hub did not know.
func zoneKey(z string) string {
	if z == "" {
		return "-"
	}
	return z
}

// dockRates is cartons loaded per active loading hour in [from, to), and
// the loads closed in it that closed after their scheduled time.
func dockRates(from, to time.Time, loads []domain.Load) (perHour, late api.Ratio) {
	cartons, hours := 0, map[time.Time]bool{}
	closed, lateN := 0, 0
	for _, l := range loads {
		for _, c := range l.Loaded {
			if inWindow(c.At, from, to) {
				cartons++
				hours[c.At.UTC().Truncate(time.Hour)] = true
			}
		}
		if l.Status == domain.LoadStatusClosed && !l.ClosedAt.IsZero() && inWindow(l.ClosedAt, from, to) {
			closed++
			if !l.ScheduledAt.IsZero() && l.ClosedAt.After(l.ScheduledAt) {
				lateN++
			}
		}
	}
	return ratio(cartons, len(hours)), ratio(lateN, closed)
}
