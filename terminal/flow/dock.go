package flow

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
)

// DockCarton is a shipped carton as the dock sees it.
type DockCarton = domain.DockCarton

// DockLoad is a load not closed, with its planned cartons by SSCC.
type DockLoad struct {
	domain.Load
	Planned []string `json:"planned"`
}

// Dock is what the dock's flows check scans against: the hub's dock list as
// the device cached it (the loads not closed, the cartons that may come to
// the dock), with this device's own dock steps not yet delivered laid over
// it. The session makes a new one whenever the list or the steps change;
// flows only read it.
type Dock struct {
	At      time.Time             // when the hub made the list
	Lanes   []string              // the site's staging lanes; empty: any lane
	Doors   []string              // the site's dock doors; empty: any door
	Loads   map[string]DockLoad   // by id
	Cartons map[string]DockCarton // by SSCC
}

// NewDock indexes a dock list.
func NewDock(at time.Time, loads []DockLoad, cartons []DockCarton) *Dock {
	d := &Dock{At: at, Loads: map[string]DockLoad{}, Cartons: map[string]DockCarton{}}
	for _, l := range loads {
		d.Loads[l.ID] = l
	}
	for _, c := range cartons {
		d.Cartons[c.SSCC] = c
	}
	return d
}

// Overlay lays this device's dock steps not yet delivered over the list: a
// carton staged or loaded here is staged or loaded, a load closed here is
// closed, even though the hub has not heard of it.
func (d *Dock) Overlay(events []domain.Event) error {
	for _, ev := range events {
		switch ev.Type {
		case domain.EventCartonStaged:
			var p domain.CartonStaged
			if err := json.Unmarshal(ev.Payload, &p); err != nil {
				return err
			}
			if c, ok := d.Cartons[p.SSCC]; ok {
				c.Lane = p.Lane
				d.Cartons[p.SSCC] = c
			}
		case domain.EventCartonLoaded:
			var p domain.CartonLoaded
			if err := json.Unmarshal(ev.Payload, &p); err != nil {
				return err
			}
			c, ok := d.Cartons[p.SSCC]
			if !ok {
				c = DockCarton{SSCC: p.SSCC, OrderID: p.OrderID}
			}
			c.LoadedOn = p.LoadID
			d.Cartons[p.SSCC] = c
		case domain.EventLoadClosed:
			var p domain.LoadClosed
			if err := json.Unmarshal(ev.Payload, &p); err != nil {
				return err
			}
			if l, ok := d.Loads[p.LoadID]; ok {
				l.Status = domain.LoadStatusClosed
				d.Loads[p.LoadID] = l
			}
		}
	}
	return nil
}

// Age says how old the list is at now, for the screen: "now", "5 min",
// "2 h"; "none" when the device holds no list.
func (d *Dock) Age(now time.Time) string {
	if d == nil || d.At.IsZero() {
		return "none"
	}
	age := now.Sub(d.At)
	switch {
	case age < time.Minute:
		return "now"
	case age < time.Hour:
		return fmt.Sprintf("%d min", int(age/time.Minute))
	case age < 48*time.Hour:
		return fmt.Sprintf("%d h", int(age/time.Hour))
	}
	return fmt.Sprintf("%d d", int(age/(24*time.Hour)))
}

// knowsLane reports whether the site has a staging lane code: every code
// does when the list names no lanes (hub/dock_ingest.go, stageCarton).
func (d *Dock) knowsLane(code string) bool {
	return d == nil || len(d.Lanes) == 0 || slices.Contains(d.Lanes, code)
}

// knowsDoor reports whether the site has a dock door code: every code does
// when the list names no doors.
func (d *Dock) knowsDoor(code string) bool {
	return d == nil || len(d.Doors) == 0 || slices.Contains(d.Doors, code)
}

// Carton is the carton with an SSCC, if the list holds it.
func (d *Dock) Carton(sscc string) (DockCarton, bool) {
	if d == nil {
		return DockCarton{}, false
	}
	c, ok := d.Cartons[sscc]
	return c, ok
}

// Load finds a load by id, or by its dock door: the load not closed at that
// door (the earliest scheduled, if several).
func (d *Dock) Load(code string) (DockLoad, bool) {
	if d == nil {
		return DockLoad{}, false
	}
	if l, ok := d.Loads[code]; ok {
		return l, true
	}
	var found DockLoad
	ok := false
	for _, l := range d.Loads {
		if l.Door == code && l.Status != domain.LoadStatusClosed && (!ok || l.ScheduledAt.Before(found.ScheduledAt)) {
			found, ok = l, true
		}
	}
	return found, ok
}

// Missing lists a load's planned cartons not loaded (on the list, or by
// this flow's own loaded), in planned order, and the orders they belong to.
func (d *Dock) Missing(loadID string, loaded []domain.ShortCarton) (cartons []domain.ShortCarton, orders []string) {
	l, ok := d.Loads[loadID]
	if !ok {
		return nil, nil
	}
	for _, sscc := range l.Planned {
		c := d.Cartons[sscc]
		if c.LoadedOn != "" || slices.ContainsFunc(loaded, func(s domain.ShortCarton) bool { return s.SSCC == sscc }) {
			continue
		}
		cartons = append(cartons, domain.ShortCarton{SSCC: sscc, OrderID: c.OrderID})
		if !slices.Contains(orders, c.OrderID) {
			orders = append(orders, c.OrderID)
		}
	}
	return cartons, orders
}

// refusal is the problem with a carton at the dock that no lane nor load
// takes, in the order the hub checks (hub/dock_ingest.go, dockCartonFor):
// unknown (unknown_sscc), of a cancelled order (order_cancelled), of a
// held or unshipped one (order_held), or loaded already (already_loaded).
// nil when none.
func (d *Dock) refusal(sscc string, now time.Time) *Problem {
	c, ok := d.Carton(sscc)
	switch {
	case !ok:
		return &Problem{Title: "UNKNOWN SSCC", Detail: fmt.Sprintf("No shipped carton has SSCC %s (dock list: %s). Keep it aside and call the lead.", sscc, d.Age(now))}
	case c.OrderStatus == domain.OrderCancelled:
		return &Problem{Title: "ORDER CANCELLED", Detail: fmt.Sprintf("Order %s is cancelled. Keep carton %s off the trailer; take it to the lead.", c.OrderID, sscc)}
	case c.OrderStatus != "" && !c.OrderStatus.Shipped():
		return &Problem{Title: "ORDER HELD", Detail: notShipped(c)}
	case c.LoadedOn != "":
		return &Problem{Title: "ALREADY LOADED", Detail: fmt.Sprintf("Carton %s of order %s is on load %s already. Do not load it twice; call the lead.", sscc, c.OrderID, c.LoadedOn)}
	}
	return nil
}

// plannedOn is the open load a carton is planned on; planned is false when
// it is on none: never planned, or planned on a load closed since (one the
// list does not hold any more, or one this device closed). A closed load's
// cartons not loaded were left behind by its short close: released, they go
// in any lane and onto an open load of their order's carrier and service,
// as the hub has it (hub/dock_release.go).
func (d *Dock) plannedOn(c DockCarton) (l DockLoad, planned bool) {
	if c.LoadID == "" {
		return DockLoad{}, false
	}
	l, ok := d.Loads[c.LoadID]
	if !ok || l.Status == domain.LoadStatusClosed {
		return DockLoad{}, false
	}
	return l, true
}

// scanSSCC reads a carton's SSCC from a scan: the problem when it is no
// SSCC, or one with a wrong check digit.
func scanSSCC(c barcode.Classified) (string, *Problem) {
	sscc, ok, err := barcode.SSCC(c)
	switch {
	case err != nil:
		return "", &Problem{Title: "BAD BARCODE", Detail: fmt.Sprintf("%v. Rescan the carton's SSCC label, or key its 18 digits.", err)}
	case !ok:
		return "", &Problem{Title: "NOT A CARTON", Detail: fmt.Sprintf("Scanned %s. Scan the carton's SSCC label (00 and 18 digits).", c.Code)}
	}
	return sscc, nil
}

// notShipped says why a carton of an order not shipped stays off the
// trailer: its order is held (and why), or still at the pack station.
func notShipped(c DockCarton) string {
	keep := fmt.Sprintf("Keep carton %s off the trailer; take it to the exception lane.", c.SSCC)
	switch {
	case c.OrderStatus == domain.OrderHeld && c.HoldReason != "":
		return fmt.Sprintf("Order %s is held: %s. %s", c.OrderID, c.HoldReason.Label(), keep)
	case c.OrderStatus == domain.OrderHeld:
		return fmt.Sprintf("Order %s is held. %s", c.OrderID, keep)
	case c.OrderStatus == domain.OrderPacking:
		return fmt.Sprintf("Order %s is not shipped yet: the order is still at the pack station. Keep carton %s off the trailer; take it back there.", c.OrderID, c.SSCC)
	}
	return fmt.Sprintf("Order %s is %s, not shipped. %s", c.OrderID, c.OrderStatus, keep)
}

// cartonOf is "2 of 3", the carton's place in its order.
func cartonOf(c DockCarton) string {
	if c.Of == 0 {
		return "?"
	}
	return fmt.Sprintf("%d of %d", c.N, c.Of)
}
