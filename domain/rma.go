package domain

// RMAStatus is where a return authorisation is.
type RMAStatus string

// RMA statuses.
const (
	RMAOpen     RMAStatus = "open"     // expected at the dock
	RMAReceived RMAStatus = "received" // received; credit is pending
)

// RMA is a return merchandise authorisation: what a customer sends back.
type RMA struct {
	Number   string    `json:"number"`          // printed and scanned, e.g. "RMA-50001"
	Label    string    `json:"label,omitempty"` // the return label's barcode, scanned instead of the number
	OrderID  string    `json:"order_id"`        // the order shipped
	Customer string    `json:"customer"`
	Status   RMAStatus `json:"status"`
	Lines    []RMALine `json:"lines"`
}

// RMALine is one item expected back. Serials lists the serial numbers shipped
// on the order for a serial-tracked item: a returned unit must carry one of them.
type RMALine struct {
	Line    int      `json:"line"`
	SKU     string   `json:"sku"`
	Qty     int      `json:"qty"`
	Serials []string `json:"shipped_serials,omitempty"`
	// Reason is why the customer sends the line back, as the host system
	// authorised it; empty when not given. ReturnWrongItem is a picking
	// error (the order accuracy KPI); other codes are kept as given.
	Reason ReturnReason `json:"reason,omitempty"`
}

// ReturnReason is a return reason code of an RMA line.
type ReturnReason string

// ReturnWrongItem: the customer received an item or a quantity other than
// ordered — a picking error.
const ReturnWrongItem ReturnReason = "wrong_item"

// Condition is the state a returned unit arrives in.
type Condition string

// Conditions, in menu order.
const (
	CondNew     Condition = "new"
	CondOpened  Condition = "opened"
	CondDamaged Condition = "damaged"
)

// Conditions lists the conditions in menu order.
func Conditions() []Condition { return []Condition{CondNew, CondOpened, CondDamaged} }

// Disposition is where a returned unit goes.
type Disposition string

// Dispositions, in menu order.
const (
	DispRestock    Disposition = "restock"
	DispRefurbish  Disposition = "refurbish"
	DispScrap      Disposition = "scrap"
	DispQuarantine Disposition = "quarantine"
	DispVendor     Disposition = "return_to_vendor"
)

// Dispositions lists the dispositions in menu order.
func Dispositions() []Disposition {
	return []Disposition{DispRestock, DispRefurbish, DispScrap, DispQuarantine, DispVendor}
}

// Label is the condition as a worker reads it.
func (c Condition) Label() string {
	switch c {
	case CondNew:
		return "New"
	case CondOpened:
		return "Opened"
	case CondDamaged:
		return "Damaged"
	}
	return string(c)
}

// Label is the disposition as a worker reads it.
func (d Disposition) Label() string {
	switch d {
	case DispRestock:
		return "Restock"
	case DispRefurbish:
		return "Refurbish"
	case DispScrap:
		return "Scrap"
	case DispQuarantine:
		return "Quarantine"
	case DispVendor:
		return "Return to vendor"
	}
	return string(d)
}

// ReturnedUnit is one returned unit (or Qty units alike) and where it went.
// Line is the RMA line it belongs to, 0 for an item the RMA did not expect;
// SKU is empty for a barcode the device did not know (Code holds it).
type ReturnedUnit struct {
	Line        int         `json:"line"`
	SKU         string      `json:"sku,omitempty"`
	Code        string      `json:"code,omitempty"`
	Lot         string      `json:"lot,omitempty"`
	Serial      string      `json:"serial,omitempty"`
	Qty         int         `json:"qty"`
	Condition   Condition   `json:"condition"`
	Disposition Disposition `json:"disposition"`
	Location    string      `json:"location,omitempty"` // the put-away location, for restock
}

// ReturnReceived is the payload of EventReturnReceived: an RMA received.
type ReturnReceived struct {
	RMA   string         `json:"rma"`
	Units []ReturnedUnit `json:"units"`
}
