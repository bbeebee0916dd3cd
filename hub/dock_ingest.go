package hub

import (
	"slices"
	"strings"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
	"github.com/rfterm/rfterm/shipdocs"
)

// The effects of the dock's events, applied in the ingest transaction like
// the pack station's. Each checks every rule before its first write.

// ediCounters are a trading partner's next control numbers.
type ediCounters struct {
	X12Interchange     int64 `json:"x12_interchange"`     // ISA13
	X12Group           int64 `json:"x12_group"`           // GS06
	EDIFACTInterchange int64 `json:"edifact_interchange"` // UNB 0020
}

// asnRecord is the ASN of what an order shipped on one load, issued when
// the load closed: the control numbers it carries in each standard. It is
// kept under asnKey(order, load), and under the order id alone for the
// last load the order left on (the only key of records written before
// orders shipped on several loads: ASN reads those as well).
type asnRecord struct {
	OrderID  string            `json:"order_id"`
	LoadID   string            `json:"load_id"`
	Partner  string            `json:"partner"`
	X12      shipdocs.Controls `json:"x12"`
	EDIFACT  shipdocs.Controls `json:"edifact"`
	IssuedAt time.Time         `json:"issued_at"`
}

// dockCartonFor finds the carton an SSCC names for a dock event, with its
// order and where it is at the dock. An SSCC no carton carries (never
// packed, voided) is unknown_sscc; a cancelled order's carton
// order_cancelled; a carton not shipped (held, or still at the pack
// station) order_held.
func dockCartonFor(tx storage.Tx, sscc string) (domain.Order, dockCarton, error) {
	var at dockCarton
	use, ok, err := getJSON[ssccUse](tx.Bucket(bucketSSCCs), sscc)
	if err != nil {
		return domain.Order{}, at, err
	}
	if !ok || use.State == ssccVoid {
		return domain.Order{}, at, reject(api.CodeUnknownSSCC, "no carton carries SSCC %q", sscc)
	}
	o, ok, err := orderAnywhere(tx, use.OrderID)
	switch {
	case err != nil:
		return o, at, err
	case !ok:
		return o, at, reject(api.CodeUnknownSSCC, "SSCC %s is of order %s, which the hub does not hold", sscc, use.OrderID)
	case o.Status == domain.OrderCancelled:
		return o, at, reject(api.CodeOrderCancelled, "carton %s is of order %s, which is cancelled: take it off the dock", sscc, o.ID)
	case use.State != ssccShipped || !o.Status.Shipped():
		return o, at, reject(api.CodeOrderHeld, "carton %s is of order %s, which is %s, not shipped: it stays off the trailer", sscc, o.ID, o.Status)
	}
	at, _, err = getJSON[dockCarton](tx.Bucket(bucketDockCarton), sscc)
	if err == nil && at.LoadedOn != "" {
		err = reject(api.CodeAlreadyLoaded, "carton %s is on load %s already", sscc, at.LoadedOn)
	}
	at.OrderID = o.ID
	return o, at, err
}

// stageCarton keeps the staging lane a shipped carton was put in. The lane
// must be one of the site's (when it lists lanes), and the lane of the
// open load the carton's order is planned on (when that load names one); a
// carton left behind by a short close is planned on no load, and goes in
// any lane.
func stageCarton(tx storage.Tx, ev domain.Event, p domain.CartonStaged) error {
	o, at, err := dockCartonFor(tx, p.SSCC)
	if err != nil {
		return err
	}
	cfg, err := loadDockConfig(tx)
	if err != nil {
		return err
	}
	if p.Lane == "" || len(cfg.Lanes) > 0 && !slices.Contains(cfg.Lanes, p.Lane) {
		return reject(api.CodeNotFound, "lane %q is not one of the site's staging lanes", p.Lane)
	}
	l, on, err := plannedLoad(tx, o.ID)
	switch {
	case err != nil:
		return err
	case on && l.Lane != "" && l.Lane != p.Lane:
		return reject(api.CodeWrongLoad, "carton %s is for load %s, staged in lane %s, not %s", p.SSCC, l.ID, l.Lane, p.Lane)
	}
	at.Lane, at.StagedAt = p.Lane, ev.At.UTC()
	return putJSON(tx.Bucket(bucketDockCarton), p.SSCC, at)
}

// loadCarton puts a shipped carton onto an open load's trailer. The
// carton's order must be planned on that load, or on no open load (never
// planned, or its cartons left behind by a short close) with the load's
// carrier and service: it is planned on the load then. The load is loading.
func loadCarton(tx storage.Tx, ev domain.Event, p domain.CartonLoaded) error {
	l, err := openLoad(tx, p.LoadID)
	if err != nil {
		return err
	}
	o, at, err := dockCartonFor(tx, p.SSCC)
	if err != nil {
		return err
	}
	on, planned, err := plannedLoad(tx, o.ID)
	switch {
	case err != nil:
		return err
	case planned && on.ID != l.ID:
		return reject(api.CodeWrongLoad, "carton %s is of order %s, planned on load %s, not %s", p.SSCC, o.ID, on.ID, l.ID)
	case !planned && (o.Carrier != l.Carrier || o.Service != l.Service):
		return reject(api.CodeWrongLoad, "carton %s ships %s %s; load %s is %s %s", p.SSCC, o.Carrier, o.Service, l.ID, l.Carrier, l.Service)
	}
	if !planned && !slices.Contains(l.Orders, o.ID) {
		l.Orders = append(l.Orders, o.ID)
	}
	l.Loaded = append(l.Loaded, domain.LoadedCarton{SSCC: p.SSCC, OrderID: o.ID, At: ev.At.UTC(), UserID: ev.UserID, DeviceID: ev.DeviceID})
	l.Status = domain.LoadStatusLoading
	if err := putLoad(tx, l); err != nil {
		return err
	}
	at.LoadedOn, at.LoadedAt = l.ID, ev.At.UTC()
	if err := putJSON(tx.Bucket(bucketDockCarton), p.SSCC, at); err != nil {
		return err
	}
	return loadChanged(tx, api.ChangeLoadChanged, l.ID, o.ID)
}

// openLoad reads a load events may still change: not_found, or
// load_closed.
func openLoad(tx storage.Tx, id string) (domain.Load, error) {
	l, err := mustLoad(tx, id)
	if err == nil && l.Status == domain.LoadStatusClosed {
		err = reject(api.CodeLoadClosed, "load %s was closed at %s", l.ID, l.ClosedAt.Format(time.RFC3339))
	}
	return l, err
}

// closeLoad closes a load. With every planned carton loaded it is complete;
// otherwise the close lists exactly the cartons missing (load_incomplete
// when it does not) with the override of a lead who held a lead session at
// the closing device when it closed, and a reason (override_invalid). Each
// short carton is an exception, and is released: with the load closed, it
// is planned on no load (hub/dock_release.go). Each shipment on the load
// whose order has a trading partner gets its ASN's control numbers.
// Planned orders with no carton loaded or short are on no load any more.
func closeLoad(tx storage.Tx, ev domain.Event, p domain.LoadClosed) error {
	l, err := openLoad(tx, p.LoadID)
	if err != nil {
		return err
	}
	v, err := loadView(tx, l)
	if err != nil {
		return err
	}
	short := make([]domain.ShortCarton, len(v.Missing))
	for i, c := range v.Missing {
		short[i] = domain.ShortCarton{SSCC: c.SSCC, OrderID: c.OrderID}
	}
	if err := checkShort(tx, ev, p, short, v.MissingOrders); err != nil {
		return err
	}
	if err := domain.CheckSeal(p.Seal); err != nil {
		return reject(api.CodeBadRequest, "load %s: %v", l.ID, err)
	}
	l.Status, l.ClosedAt, l.ClosedBy, l.Seal = domain.LoadStatusClosed, ev.At.UTC(), ev.UserID, p.Seal
	l.Short, l.Override = nil, nil
	if len(short) > 0 {
		l.Short, l.Override = short, p.Override
	}
	stays := map[string]bool{}
	for _, c := range l.Loaded {
		stays[c.OrderID] = true
	}
	for _, c := range short {
		stays[c.OrderID] = true
	}
	var orders []string
	for _, id := range l.Orders {
		if stays[id] {
			orders = append(orders, id)
		} else if err := tx.Bucket(bucketLoadOrders).Delete([]byte(id)); err != nil {
			return err
		}
	}
	l.Orders = append([]string{}, orders...)
	if err := putLoad(tx, l); err != nil {
		return err
	}
	for _, c := range short {
		x := api.DockException{LoadID: l.ID, SSCC: c.SSCC, OrderID: c.OrderID, At: l.ClosedAt, UserID: ev.UserID, DeviceID: ev.DeviceID,
			LeadID: p.Override.LeadID, Reason: p.Override.Reason}
		if err := putJSON(tx.Bucket(bucketDockExcept), l.ID+"/"+c.SSCC, x); err != nil {
			return err
		}
	}
	if err := issueASNs(tx, l); err != nil {
		return err
	}
	return loadChanged(tx, api.ChangeLoadClosed, l.ID, "")
}

// checkShort checks a close against the cartons missing.
func checkShort(tx storage.Tx, ev domain.Event, p domain.LoadClosed, missing []domain.ShortCarton, orders []string) error {
	if len(missing) == 0 {
		if len(p.Short) > 0 {
			return reject(api.CodeLoadIncomplete, "load %s misses nothing, but the close lists %d cartons short", p.LoadID, len(p.Short))
		}
		return nil
	}
	if p.Override == nil {
		return reject(api.CodeLoadIncomplete, "load %s misses %d planned cartons (orders %s): load them, or close short with a lead's override",
			p.LoadID, len(missing), strings.Join(orders, ", "))
	}
	want, got := make([]string, len(missing)), make([]string, len(p.Short))
	for i, c := range missing {
		want[i] = c.SSCC
	}
	for i, c := range p.Short {
		got[i] = c.SSCC
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(want, got) {
		return reject(api.CodeLoadIncomplete, "the close lists %d cartons short, but load %s misses %s", len(got), p.LoadID, strings.Join(want, ", "))
	}
	return checkOverride(tx, ev, *p.Override)
}

// checkOverride checks a lead's leave to close short: a reason, and a lead
// who held a lead session at the event's device when it happened.
func checkOverride(tx storage.Tx, ev domain.Event, o domain.LoadOverride) error {
	if strings.TrimSpace(o.Reason) == "" {
		return reject(api.CodeOverrideInvalid, "a short close needs the lead's reason")
	}
	u, ok, err := getJSON[domain.User](tx.Bucket(bucketUsers), o.LeadID)
	if err != nil {
		return err
	}
	if !ok || u.Role != domain.RoleLead {
		return reject(api.CodeOverrideInvalid, "%q is not a lead", o.LeadID)
	}
	held := false
	err = scanJSON(tx.Bucket(bucketLeadSessions), nil, nil, func(_ []byte, ls leadSession) error {
		if ls.UserID == o.LeadID && ls.DeviceID == ev.DeviceID && !ev.At.Before(ls.Expires.Add(-LeadSessionTTL)) && ev.At.Before(ls.Expires) {
			held = true
			return storage.ErrStop
		}
		return nil
	})
	if err == nil && !held {
		err = reject(api.CodeOverrideInvalid, "lead %s held no lead session at %s at %s: the lead scans the badge and keys the PIN there",
			o.LeadID, ev.DeviceID, ev.At.UTC().Format(time.RFC3339))
	}
	return err
}

// issueASNs gives each shipment with a carton on a closed load whose order
// has a trading partner (one the site lists) its ASN's control numbers,
// the next of its partner's: kept for the order and the load, and as the
// order's last.
func issueASNs(tx storage.Tx, l domain.Load) error {
	cfg, err := loadDockConfig(tx)
	if err != nil {
		return err
	}
	for _, id := range shippedOn(l) {
		o, ok, err := orderAnywhere(tx, id)
		if err != nil {
			return err
		}
		if _, known := cfg.partner(o.Partner); !ok || !known || !o.Status.Shipped() {
			continue
		}
		next, ok, err := getJSON[ediCounters](tx.Bucket(bucketEDIControl), o.Partner)
		if err != nil {
			return err
		}
		if !ok {
			next = ediCounters{X12Interchange: 1, X12Group: 1, EDIFACTInterchange: 1}
		}
		rec := asnRecord{OrderID: o.ID, LoadID: l.ID, Partner: o.Partner, IssuedAt: l.ClosedAt,
			X12:     shipdocs.Controls{Interchange: next.X12Interchange, Group: next.X12Group, Set: 1},
			EDIFACT: shipdocs.Controls{Interchange: next.EDIFACTInterchange, Group: 1, Set: 1}} // no UNG groups: Group is not sent
		next = ediCounters{X12Interchange: nextControl(next.X12Interchange), X12Group: nextControl(next.X12Group),
			EDIFACTInterchange: nextControl(next.EDIFACTInterchange)}
		if err := putJSON(tx.Bucket(bucketEDIControl), o.Partner, next); err != nil {
			return err
		}
		if err := putJSON(tx.Bucket(bucketASNs), asnKey(o.ID, l.ID), rec); err != nil {
			return err
		}
		if err := putJSON(tx.Bucket(bucketASNs), o.ID, rec); err != nil {
			return err
		}
	}
	return nil
}

// asnKey is the key of the ASN of what order orderID shipped on load loadID.
func asnKey(orderID, loadID string) string { return orderID + "\x00" + loadID }

// nextControl is the control number after n: from 1 to maxControl, then 1
// again.
func nextControl(n int64) int64 {
	if n < 1 || n >= maxControl {
		return 1
	}
	return n + 1
}

// shippedOn lists the orders with a carton on a load, in the load's order.
func shippedOn(l domain.Load) []string {
	var out []string
	for _, id := range l.Orders {
		if slices.ContainsFunc(l.Loaded, func(c domain.LoadedCarton) bool { return c.OrderID == id }) {
			out = append(out, id)
		}
	}
	return out
}
