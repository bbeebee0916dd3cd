package domain

import "time"

// OrderStatus is where an order is in fulfilment.
type OrderStatus string

// Order statuses.
const (
	OrderOpen      OrderStatus = "open"
	OrderPicking   OrderStatus = "picking"
	OrderPicked    OrderStatus = "picked"
	OrderCancelled OrderStatus = "cancelled"
	// OrderPacking: a pack station has started on the order.
	OrderPacking OrderStatus = "packing"
	// OrderHeld: the order left the pack station without shipping (see HoldReason).
	OrderHeld OrderStatus = "held"
	// OrderShipped: every ordered unit shipped.
	OrderShipped OrderStatus = "shipped"
	// OrderShippedPartial: the order shipped short; the rest is backordered.
	OrderShippedPartial OrderStatus = "shipped_partial"
)

// Shipped reports whether the order has left the building (in full or partial).
func (s OrderStatus) Shipped() bool { return s == OrderShipped || s == OrderShippedPartial }

// Order is a customer order.
type Order struct {
	ID           string      `json:"id"`
	Customer     string      `json:"customer"`
	ShipTo       Address     `json:"ship_to"`
	Priority     int         `json:"priority"` // lower is more urgent
	ShipComplete bool        `json:"ship_complete"`
	Status       OrderStatus `json:"status"`
	HoldReason   HoldReason  `json:"hold_reason,omitempty"` // why it is held (status held)
	Lines        []OrderLine `json:"lines"`
	// Carrier and Service say how the order ships (carrier codes of the
	// site's SiteDock.Carriers); an open load of the same carrier and
	// service takes the order when it ships.
	Carrier string `json:"carrier,omitempty"`
	Service string `json:"service,omitempty"`
	// PromisedBy is the date the customer was promised: shipped complete
	// by the end of that day (UTC) is on time. Zero: no promise.
	PromisedBy time.Time `json:"promised_by,omitzero"`
	// PO is the customer's purchase order number, on the ASN and the
	// bill of lading; Partner the trading partner (SiteDock.Partners)
	// the ASN goes to, none when empty.
	PO      string `json:"po,omitempty"`
	Partner string `json:"partner,omitempty"`
}

// OrderLine is one SKU and quantity on an order.
type OrderLine struct {
	Line   int    `json:"line"`
	SKU    string `json:"sku"`
	Qty    int    `json:"qty"`
	Picked int    `json:"picked"`
	Short  int    `json:"short"`
}

// Address is a postal address.
type Address struct {
	Name    string `json:"name"`
	Street  string `json:"street"`
	City    string `json:"city"`
	Postal  string `json:"postal"`
	Country string `json:"country"`
}

// Backorder records quantity that could not be picked.
type Backorder struct {
	OrderID  string      `json:"order_id"`
	Line     int         `json:"line"`
	SKU      string      `json:"sku"`
	Qty      int         `json:"qty"`
	Reason   ShortReason `json:"reason"`
	TaskID   string      `json:"task_id"`
	UserID   string      `json:"user_id"`
	DeviceID string      `json:"device_id"`
}

// CartonType is a shipping carton a packer can choose.
type CartonType struct {
	Code          string `json:"code"`
	Name          string `json:"name"`
	InnerLengthMM int    `json:"inner_length_mm"`
	InnerWidthMM  int    `json:"inner_width_mm"`
	InnerHeightMM int    `json:"inner_height_mm"`
	TareGrams     int    `json:"tare_g"`
	MaxGrams      int    `json:"max_g"`
	// Handling lists the handling classes the carton is for (an insulated
	// cool box: "frozen"); empty: general goods only.
	Handling []HandlingClass `json:"handling,omitempty"`
}
