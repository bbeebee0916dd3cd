package hub

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// The dock (issue 17): the site's dock configuration, loads and how orders
// are planned on them. Loads are read and written through getLoad, saveLoad
// and eachLoad (hub/loads.go); putLoad keeps, next to each, the buckets that
// find a load by order and the loads not closed.
//
// Closed loads stay live (they are few, and the papers and ASNs of a load
// are asked for long after it left); their orders may move to the archive,
// so a load's orders and shipments are read with orderAnywhere and
// shipmentAnywhere, as the archive's readers do.

// Buckets of the dock, next to bucketLoads.
const (
	bucketLoadOrders = "load_orders"     // order id -> the id of the last load it was planned on (hub/dock_release.go)
	bucketOpenLoads  = "open_loads"      // load id -> "": the loads not closed
	bucketDockCarton = "dock_cartons"    // SSCC -> dockCarton: where a shipped carton is at the dock (kept like ssccs)
	bucketDockExcept = "dock_exceptions" // load id, "/", SSCC -> api.DockException
	bucketEDIControl = "edi_controls"    // trading partner id -> ediCounters: the next control numbers
	bucketASNs       = "asns"            // order id -> asnRecord of the last load it left on; order id, 0, load id -> that load's (asnKey)
)

const (
	metaDock    = "dock"     // the site's dockConfig, as JSON
	metaLoadSeq = "load_seq" // the last number given to a load id ("LD-0001")
)

// Bounds of the dock's records.
const (
	// MaxLoadOrders bounds the orders named when a load is created.
	MaxLoadOrders = 1000
	// MaxDockCodes bounds each list of the dock configuration (carriers,
	// services, doors, lanes, partners, seeded loads).
	MaxDockCodes = 1000
	// maxDockIDLen bounds load ids and the configuration's codes.
	maxDockIDLen = 64
	// maxControl is the largest EDI control number; the next is 1.
	maxControl = 999_999_999
	// idChars are the characters of a load id.
	idChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"
)

// dockConfig is the site's SiteDock without the seeded loads, kept in meta.
type dockConfig struct {
	ShipFrom domain.Address          `json:"ship_from,omitzero"`
	Carriers []domain.Carrier        `json:"carriers,omitempty"`
	Doors    []string                `json:"doors,omitempty"`
	Lanes    []string                `json:"lanes,omitempty"`
	EDI      domain.EDIIdentity      `json:"edi,omitzero"`
	Partners []domain.TradingPartner `json:"partners,omitempty"`
}

// carrier finds a configured carrier by code.
func (c dockConfig) carrier(code string) (domain.Carrier, bool) {
	i := slices.IndexFunc(c.Carriers, func(k domain.Carrier) bool { return k.Code == code })
	if i < 0 {
		return domain.Carrier{Code: code, Name: code}, false
	}
	return c.Carriers[i], true
}

// partner finds a configured trading partner by id.
func (c dockConfig) partner(id string) (domain.TradingPartner, bool) {
	i := slices.IndexFunc(c.Partners, func(p domain.TradingPartner) bool { return p.ID == id })
	if i < 0 {
		return domain.TradingPartner{}, false
	}
	return c.Partners[i], true
}

// checkCarrier checks a carrier code and service against the configured
// carriers; without any, every code is taken.
func (c dockConfig) checkCarrier(carrier, service string) error {
	if len(c.Carriers) == 0 {
		return nil
	}
	k, ok := c.carrier(carrier)
	switch {
	case !ok:
		return fmt.Errorf("carrier %q is not one of the site's carriers", carrier)
	case len(k.Services) > 0 && !slices.Contains(k.Services, service):
		return fmt.Errorf("carrier %s has no service %q (%v)", carrier, service, k.Services)
	}
	return nil
}

// checkPlace checks a door and a lane against the configured ones: the
// door is needed, the lane may be empty.
func (c dockConfig) checkPlace(door, lane string) error {
	if door == "" {
		return fmt.Errorf("door is empty")
	}
	if len(c.Doors) > 0 && !slices.Contains(c.Doors, door) {
		return fmt.Errorf("door %q is not one of the site's doors", door)
	}
	if lane != "" && len(c.Lanes) > 0 && !slices.Contains(c.Lanes, lane) {
		return fmt.Errorf("lane %q is not one of the site's lanes", lane)
	}
	return nil
}

// loadDockConfig reads the site's dock configuration (empty when it has none).
func loadDockConfig(tx storage.Tx) (dockConfig, error) {
	c, _, err := getJSON[dockConfig](tx.Bucket(bucketMeta), metaDock)
	return c, err
}

// validateDock checks the dock part of a seed: codes set, unique and
// bounded, SCACs of 2 to 4 letters, orders' carriers, services and
// partners known, and the seeded loads as CreateLoad checks them.
func validateDock(site domain.Site) error {
	d := site.SiteDock
	cfg := dockConfig{ShipFrom: d.ShipFrom, Carriers: d.Carriers, Doors: d.Doors, Lanes: d.Lanes, EDI: d.EDI, Partners: d.Partners}
	codes := func(what string, list []string) error {
		if len(list) > MaxDockCodes {
			return fmt.Errorf("%d %s; at most %d", len(list), what, MaxDockCodes)
		}
		seen := map[string]bool{}
		for _, c := range list {
			if c == "" || len(c) > maxDockIDLen || seen[c] {
				return fmt.Errorf("%s %q is empty, over %d bytes or repeated", what, c, maxDockIDLen)
			}
			seen[c] = true
		}
		return nil
	}
	carriers := make([]string, len(d.Carriers))
	for i, k := range d.Carriers {
		carriers[i] = k.Code
		if n := len(k.SCAC); n < 2 || n > 4 || !upperLetters(k.SCAC) {
			return fmt.Errorf("carrier %s: SCAC %q is not 2 to 4 capital letters", k.Code, k.SCAC)
		}
		if err := codes("carrier "+k.Code+" service", k.Services); err != nil {
			return err
		}
	}
	partners := make([]string, len(d.Partners))
	for i, p := range d.Partners {
		partners[i] = p.ID
	}
	for what, list := range map[string][]string{"carrier": carriers, "door": d.Doors, "lane": d.Lanes, "partner": partners} {
		if err := codes(what, list); err != nil {
			return err
		}
	}
	for _, o := range site.Orders {
		if err := checkOrderDock(cfg, o); err != nil {
			return err
		}
	}
	if len(d.Loads) > MaxDockCodes {
		return fmt.Errorf("%d loads; at most %d", len(d.Loads), MaxDockCodes)
	}
	orders := map[string]domain.Order{}
	for _, o := range site.Orders {
		orders[o.ID] = o
	}
	planned, ids := map[string]string{}, map[string]bool{}
	for _, l := range d.Loads {
		if l.ID == "" || ids[l.ID] {
			return fmt.Errorf("load id %q is empty or repeated", l.ID)
		}
		ids[l.ID] = true
		if err := checkLoadFields(cfg, loadRequest(l)); err != nil {
			return fmt.Errorf("load %s: %w", l.ID, err)
		}
		if l.Status != "" && l.Status != domain.LoadStatusOpen || len(l.Loaded) > 0 {
			return fmt.Errorf("load %s: a seeded load is open, with nothing loaded", l.ID)
		}
		for _, id := range l.Orders {
			if _, ok := orders[id]; !ok {
				return fmt.Errorf("load %s: unknown order %s", l.ID, id)
			}
			if other, dup := planned[id]; dup {
				return fmt.Errorf("order %s is planned on both %s and %s", id, other, l.ID)
			}
			planned[id] = l.ID
		}
	}
	return nil
}

// checkOrderDock checks an order's carrier, service and trading partner
// against the dock configuration.
func checkOrderDock(cfg dockConfig, o domain.Order) error {
	switch {
	case o.Carrier == "" && o.Service != "":
		return fmt.Errorf("order %s: service %q without a carrier", o.ID, o.Service)
	case o.Carrier != "":
		if err := cfg.checkCarrier(o.Carrier, o.Service); err != nil {
			return fmt.Errorf("order %s: %w", o.ID, err)
		}
	}
	if _, ok := cfg.partner(o.Partner); o.Partner != "" && !ok {
		return fmt.Errorf("order %s: trading partner %q is not one of the site's partners", o.ID, o.Partner)
	}
	if o.Partner != "" && o.PO == "" {
		return fmt.Errorf("order %s: an order with a trading partner needs its PO (po) for the ASN", o.ID)
	}
	if err := paperID("po", o.PO, maxPaperPO); err != nil {
		return fmt.Errorf("order %s: %w", o.ID, err)
	}
	return nil
}

func upperLetters(s string) bool {
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// seedDock stores the dock configuration and the seeded loads, each open.
func seedDock(tx storage.Tx, site domain.Site) error {
	d := site.SiteDock
	cfg := dockConfig{ShipFrom: d.ShipFrom, Carriers: d.Carriers, Doors: d.Doors, Lanes: d.Lanes, EDI: d.EDI, Partners: d.Partners}
	if err := putJSON(tx.Bucket(bucketMeta), metaDock, cfg); err != nil {
		return err
	}
	for _, l := range d.Loads {
		l.Status, l.Loaded = domain.LoadStatusOpen, []domain.LoadedCarton{}
		l.Orders = append([]string{}, l.Orders...)
		l.CreatedAt = cmp.Or(l.CreatedAt, time.Now().UTC())
		if err := putLoad(tx, l); err != nil {
			return err
		}
	}
	return nil
}

// loadRequest is a load's fields as a CreateLoadRequest, for checking.
func loadRequest(l domain.Load) api.CreateLoadRequest {
	return api.CreateLoadRequest{ID: l.ID, Carrier: l.Carrier, Service: l.Service, Trailer: l.Trailer, Route: l.Route, Door: l.Door,
		Lane: l.Lane, ScheduledAt: l.ScheduledAt, PRO: l.PRO, Orders: l.Orders}
}

// checkLoadFields checks what a new load says of itself: bounded fields,
// a scheduled time, a known carrier, door and lane.
func checkLoadFields(cfg dockConfig, r api.CreateLoadRequest) error {
	if len(r.ID) > maxDockIDLen || strings.Trim(r.ID, idChars) != "" {
		return fmt.Errorf("load id %q is not up to %d letters, digits, '.', '_' and '-'", r.ID, maxDockIDLen)
	}
	for _, f := range []string{r.Carrier, r.Service, r.Trailer, r.Route, r.Door, r.Lane, r.PRO} {
		if len(f) > MaxFieldBytes {
			return fmt.Errorf("a field is over %d bytes", MaxFieldBytes)
		}
	}
	if len(r.ID) > maxPaperLoadID {
		return fmt.Errorf("load id %q is over %d characters: the ASN's REF BM carries no more", r.ID, maxPaperLoadID)
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{{"trailer", r.Trailer, maxPaperTrailer}, {"pro", r.PRO, maxPaperPRO}, {"route", r.Route, MaxFieldBytes}, {"door", r.Door, maxDockIDLen}, {"lane", r.Lane, maxDockIDLen}} {
		if err := paperID(f.name, f.v, f.max); err != nil {
			return err
		}
	}
	if len(r.Orders) > MaxLoadOrders {
		return fmt.Errorf("%d orders; at most %d", len(r.Orders), MaxLoadOrders)
	}
	if r.Carrier == "" {
		return fmt.Errorf("carrier is empty")
	}
	if y := r.ScheduledAt.Year(); y < 2000 || y > 9999 {
		return fmt.Errorf("scheduled_at %s is not a time of years 2000 to 9999", r.ScheduledAt.Format(time.RFC3339))
	}
	if err := cfg.checkCarrier(r.Carrier, r.Service); err != nil {
		return err
	}
	return cfg.checkPlace(r.Door, r.Lane)
}

// putLoad writes a load through saveLoad and keeps the buckets that find
// it: its orders' entries (each order's last load: a load is written with
// an order only while the order's cartons not loaded are planned on it, or
// when it closes), and whether it is open.
func putLoad(tx storage.Tx, l domain.Load) error {
	if err := saveLoad(tx, l); err != nil {
		return err
	}
	for _, id := range l.Orders {
		if err := tx.Bucket(bucketLoadOrders).Put([]byte(id), []byte(l.ID)); err != nil {
			return err
		}
	}
	if l.Status == domain.LoadStatusClosed {
		return tx.Bucket(bucketOpenLoads).Delete([]byte(l.ID))
	}
	return tx.Bucket(bucketOpenLoads).Put([]byte(l.ID), nil)
}

// loadOfOrder returns the last load an order was planned on, open or
// closed (plannedLoad is the open one); ok is false when it is on none.
func loadOfOrder(tx storage.Tx, orderID string) (domain.Load, bool, error) {
	id, err := tx.Bucket(bucketLoadOrders).Get([]byte(orderID))
	if err != nil || id == nil {
		return domain.Load{}, false, err
	}
	l, ok, err := getLoad(tx, string(id))
	if err == nil && !ok {
		err = fmt.Errorf("order %s is planned on load %s, which is not stored", orderID, id)
	}
	return l, ok, err
}

// openLoads lists the loads not closed, by id.
func openLoads(tx storage.Tx) ([]domain.Load, error) {
	var out []domain.Load
	err := tx.Bucket(bucketOpenLoads).Scan(nil, nil, func(k, _ []byte) error {
		l, ok, err := getLoad(tx, string(k))
		if err == nil && !ok {
			err = fmt.Errorf("open load %s is not stored", k)
		}
		out = append(out, l)
		return err
	})
	return out, err
}

// matchingLoad is the first open load by scheduled time (then id) of the
// order's carrier and service; ok is false when there is none, or the
// order names no carrier.
func matchingLoad(tx storage.Tx, o domain.Order) (domain.Load, bool, error) {
	if o.Carrier == "" {
		return domain.Load{}, false, nil
	}
	open, err := openLoads(tx)
	if err != nil {
		return domain.Load{}, false, err
	}
	var best domain.Load
	found := false
	for _, l := range open {
		if l.Carrier != o.Carrier || l.Service != o.Service {
			continue
		}
		if !found || l.ScheduledAt.Before(best.ScheduledAt) {
			best, found = l, true
		}
	}
	return best, found, nil
}

// planShipped plans an order that has just shipped: on the open load it is
// planned on already, or else on the first open load of its carrier and
// service. Either load changed (its cartons are planned now).
func planShipped(tx storage.Tx, o domain.Order) error {
	l, ok, err := plannedLoad(tx, o.ID)
	if err != nil {
		return err
	}
	if !ok {
		if l, ok, err = matchingLoad(tx, o); err != nil || !ok {
			return err
		}
		l.Orders = append(l.Orders, o.ID)
		if err := putLoad(tx, l); err != nil {
			return err
		}
	}
	return loadChanged(tx, api.ChangeLoadChanged, l.ID, o.ID)
}

// noteOrderOnLoad tells the dock that an order planned on an open load
// changed (held, cancelled).
func noteOrderOnLoad(tx storage.Tx, orderID string) error {
	l, ok, err := plannedLoad(tx, orderID)
	if err != nil || !ok {
		return err
	}
	return loadChanged(tx, api.ChangeLoadChanged, l.ID, orderID)
}

// loadChanged adds a change about a load to the changes feed.
func loadChanged(tx storage.Tx, kind, loadID, orderID string) error {
	return addChange(tx, api.Change{Kind: kind, LoadID: loadID, OrderID: orderID})
}

// nextLoadID numbers a new load: "LD-0001", skipping ids taken.
func nextLoadID(tx storage.Tx) (string, error) {
	meta := tx.Bucket(bucketMeta)
	raw, err := meta.Get([]byte(metaLoadSeq))
	if err != nil {
		return "", err
	}
	var n uint64
	if len(raw) == 8 {
		n = binary.BigEndian.Uint64(raw)
	}
	for {
		n++
		id := fmt.Sprintf("LD-%04d", n)
		_, taken, err := getLoad(tx, id)
		if err != nil {
			return "", err
		}
		if !taken {
			return id, meta.Put([]byte(metaLoadSeq), binary.BigEndian.AppendUint64(nil, n))
		}
	}
}

// What the papers carry of a load's identifiers: the X12 856's REF BM
// (load id), TD3 (trailer) and REF CN (PRO) elements.
const (
	maxPaperLoadID  = 30
	maxPaperTrailer = 10
	maxPaperPRO     = 30
	maxPaperPO      = 22 // the 856's PRF01
)

// paperID checks an identifier of a load the papers print: at most max
// printable ASCII characters, none of the X12 separators '*', '~' and '>'
// (an identifier is never altered, so one the 856 cannot carry is refused
// when the load is planned, not when its ASN is asked for).
func paperID(name, v string, max int) error {
	if len(v) > max {
		return fmt.Errorf("%s %q is over %d characters", name, v, max)
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 || c >= 0x7F || c == '*' || c == '~' || c == '>' {
			return fmt.Errorf("%s %q holds %q: printable ASCII without '*', '~' or '>'", name, v, c)
		}
	}
	return nil
}
