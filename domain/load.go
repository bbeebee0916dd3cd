package domain

import (
	"fmt"
	"time"
)

// LoadStatus is where a carrier pickup is.
type LoadStatus string

// Load statuses.
const (
	LoadStatusOpen    LoadStatus = "open"    // planned; nothing loaded yet
	LoadStatusLoading LoadStatus = "loading" // at least one carton is on the trailer
	LoadStatusClosed  LoadStatus = "closed"  // the doors are shut: the papers and the ASNs are issued
)

// Load is a carrier pickup: the trailer (or parcel route) at a dock door,
// the shipments planned on it, and the cartons that went on.
//
// A load's shipments are planned two ways: the coordinator names orders
// when creating it (Orders), or an order whose carrier and service match an
// open load's is planned on it when it ships (the first such load by
// scheduled time). An order's cartons not loaded yet are planned on one
// open load at most: the cartons a short close left behind are planned on
// none, and go on a later load of the order's carrier and service (which
// plans the order there) or one the coordinator names the order on. The
// closed load keeps the order in Orders; the order ships on both.
type Load struct {
	ID          string         `json:"id"` // e.g. "LD-0001"; printed on the dock sheet and scanned
	Carrier     string         `json:"carrier"`
	Service     string         `json:"service"`
	Trailer     string         `json:"trailer,omitempty"` // trailer number, or the parcel route
	Route       string         `json:"route,omitempty"`
	Door        string         `json:"door"`           // the dock door it loads at; scanned to start loading
	Lane        string         `json:"lane,omitempty"` // the staging lane its cartons wait in
	ScheduledAt time.Time      `json:"scheduled_at"`   // the carrier's pickup time: closed after it is late
	PRO         string         `json:"pro,omitempty"`  // the carrier's PRO (progressive) number
	Seal        string         `json:"seal,omitempty"` // the trailer seal, scanned at close
	Orders      []string       `json:"orders"`         // the shipments planned on it, by order id
	Status      LoadStatus     `json:"status"`
	Loaded      []LoadedCarton `json:"loaded"` // in the order they went on
	CreatedAt   time.Time      `json:"created_at"`
	ClosedAt    time.Time      `json:"closed_at,omitzero"`
	ClosedBy    string         `json:"closed_by,omitempty"` // the loader
	// Short are the planned cartons left behind by a short close, each an
	// exception on the hub.
	Short    []ShortCarton `json:"short,omitempty"`
	Override *LoadOverride `json:"override,omitempty"` // the lead who allowed a short close
}

// LoadedCarton is a carton that went onto the trailer.
type LoadedCarton struct {
	SSCC     string    `json:"sscc"`
	OrderID  string    `json:"order_id"`
	At       time.Time `json:"at"`
	UserID   string    `json:"user_id"`
	DeviceID string    `json:"device_id"`
}

// ShortCarton is a planned carton a load was closed without.
type ShortCarton struct {
	SSCC    string `json:"sscc"`
	OrderID string `json:"order_id"`
}

// LoadOverride is a lead's leave to close a load short, with the reason.
type LoadOverride struct {
	LeadID string `json:"lead_id"`
	Reason string `json:"reason"`
}

// LoadShortReason is why a lead let a load close with planned cartons
// missing: LoadOverride.Reason holds it.
type LoadShortReason string

// Reasons a lead gives for a short close.
const (
	LoadShortDamaged           LoadShortReason = "damaged"            // the carton is damaged and stays behind
	LoadShortNotFound          LoadShortReason = "not_found"          // the carton cannot be found at the dock
	LoadShortCustomerCancelled LoadShortReason = "customer_cancelled" // the customer cancelled after it shipped
	LoadShortTrailerFull       LoadShortReason = "trailer_full"       // no room left on the trailer
	LoadShortOther             LoadShortReason = "other"
)

// LoadShortReasons lists the reasons a lead chooses from, in menu order.
func LoadShortReasons() []LoadShortReason {
	return []LoadShortReason{LoadShortDamaged, LoadShortNotFound, LoadShortCustomerCancelled, LoadShortTrailerFull, LoadShortOther}
}

// Label is the reason as a menu shows it.
func (r LoadShortReason) Label() string {
	switch r {
	case LoadShortDamaged:
		return "Damaged"
	case LoadShortNotFound:
		return "Not found"
	case LoadShortCustomerCancelled:
		return "Customer cancelled"
	case LoadShortTrailerFull:
		return "Trailer full"
	}
	return "Other"
}

// Event types of the dock.
const (
	EventCartonStaged EventType = "dock.carton_staged" // payload CartonStaged
	EventCartonLoaded EventType = "dock.carton_loaded" // payload CartonLoaded
	EventLoadClosed   EventType = "dock.load_closed"   // payload LoadClosed
)

// CartonStaged is the payload of EventCartonStaged: a shipped carton was
// put in a staging lane to wait for its load.
type CartonStaged struct {
	SSCC    string `json:"sscc"`
	OrderID string `json:"order_id"`
	Lane    string `json:"lane"`
}

// CartonLoaded is the payload of EventCartonLoaded: a carton went onto a
// load's trailer.
type CartonLoaded struct {
	LoadID  string `json:"load_id"`
	SSCC    string `json:"sscc"`
	OrderID string `json:"order_id"`
}

// LoadClosed is the payload of EventLoadClosed: the loader closed the load.
// A load closed with planned cartons missing names them in Short and
// carries a lead's Override; the lead proved badge and PIN at the same
// device (a lead session there) before the close.
type LoadClosed struct {
	LoadID   string        `json:"load_id"`
	Seal     string        `json:"seal,omitempty"`
	Short    []ShortCarton `json:"short,omitempty"`
	Override *LoadOverride `json:"override,omitempty"`
}

// Carrier is a carrier the site ships with.
type Carrier struct {
	Code     string   `json:"code"` // as orders and loads name it, e.g. "DEMO"
	Name     string   `json:"name"`
	SCAC     string   `json:"scac"` // the Standard Carrier Alpha Code, 2 to 4 letters
	Services []string `json:"services,omitempty"`
}

// TradingPartner is a customer the site sends advance ship notices to, with
// its identifiers in each EDI standard.
type TradingPartner struct {
	ID   string `json:"id"` // as orders name it
	Name string `json:"name"`
	// X12Qualifier and X12ID are the partner's ISA06/ISA08 qualifier and id
	// (e.g. "ZZ", "ACMERETAIL"); X12AppID its GS application code.
	X12Qualifier string `json:"x12_qualifier"`
	X12ID        string `json:"x12_id"`
	X12AppID     string `json:"x12_app_id,omitempty"`
	// EDIFACTQualifier and EDIFACTID are the partner's UNB identification
	// code qualifier and id (e.g. "14" and a GLN).
	EDIFACTQualifier string `json:"edifact_qualifier"`
	EDIFACTID        string `json:"edifact_id"`
	GLN              string `json:"gln,omitempty"` // the partner's global location number, for NAD
}

// EDIIdentity is the site's own identity in EDI interchanges.
type EDIIdentity struct {
	X12Qualifier     string `json:"x12_qualifier"`
	X12ID            string `json:"x12_id"`
	X12AppID         string `json:"x12_app_id,omitempty"`
	EDIFACTQualifier string `json:"edifact_qualifier"`
	EDIFACTID        string `json:"edifact_id"`
	GLN              string `json:"gln,omitempty"`
	// Test marks every interchange as a test (ISA15 "T", UNB test indicator 1).
	Test bool `json:"test,omitempty"`
}

// SiteDock is the part of a site seed used at the dock: the shipper on
// the papers, carriers, doors and lanes, and the EDI partners. Every field
// is optional; without doors and lanes any door or lane code is taken.
type SiteDock struct {
	ShipFrom Address          `json:"ship_from,omitzero"`
	Carriers []Carrier        `json:"carriers,omitempty"`
	Doors    []string         `json:"doors,omitempty"` // dock door codes, e.g. "DOOR-01"
	Lanes    []string         `json:"lanes,omitempty"` // staging lane codes, e.g. "STG-01"
	EDI      EDIIdentity      `json:"edi,omitzero"`
	Partners []TradingPartner `json:"partners,omitempty"`
	// Loads are loads planned at seed (the demo's trailer).
	Loads []Load `json:"loads,omitempty"`
}

// MaxSealLen is the longest trailer seal number the papers carry: the
// EDIFACT DESADV's SEL segment takes 10 characters (the X12 856's TD3 15).
const MaxSealLen = 10

// CheckSeal says why seal cannot be a trailer seal number: one to
// MaxSealLen letters, digits and '-'. Empty is no seal, and fine.
func CheckSeal(seal string) error {
	if len(seal) > MaxSealLen {
		return fmt.Errorf("seal %q has %d characters; a seal number has at most %d", seal, len(seal), MaxSealLen)
	}
	for _, r := range seal {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return fmt.Errorf("seal %q holds %q: a seal number is letters, digits and '-'", seal, r)
		}
	}
	return nil
}

// DockCarton is a shipped carton as the dock sees it: the hub's dock list
// (api.DockCarton) and what a dock terminal checks a scan against.
type DockCarton struct {
	SSCC        string      `json:"sscc"`
	OrderID     string      `json:"order_id"`
	N           int         `json:"n"` // carton N of Of
	Of          int         `json:"of"`
	WeightGrams int         `json:"weight_g"`
	Carrier     string      `json:"carrier,omitempty"`
	Service     string      `json:"service,omitempty"`
	OrderStatus OrderStatus `json:"order_status"`
	HoldReason  HoldReason  `json:"hold_reason,omitempty"` // why a held order left the pack station
	LoadID      string      `json:"load_id,omitempty"`     // the open load it is planned on; none when left behind by a short close
	Lane        string      `json:"lane,omitempty"`        // the staging lane it was put in
	LoadedOn    string      `json:"loaded_on,omitempty"`   // the load it went onto
}
