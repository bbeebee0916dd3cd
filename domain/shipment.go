package domain

import "time"

// ShipmentStatus is where an order's pack is.
type ShipmentStatus string

// Shipment statuses.
const (
	ShipmentPacking ShipmentStatus = "packing" // cartons are being packed
	ShipmentHeld    ShipmentStatus = "held"    // left the pack station without shipping
	ShipmentShipped ShipmentStatus = "shipped" // confirmed: the cartons left
)

// Shipment is what the hub knows of an order's pack: the shipment in
// progress while it is packed, then the cartons that left.
type Shipment struct {
	OrderID   string         `json:"order_id"`
	Status    ShipmentStatus `json:"status"`
	Tote      string         `json:"tote,omitempty"`
	DeviceID  string         `json:"device_id"` // the pack station
	UserID    string         `json:"user_id"`   // the packer
	StartedAt time.Time      `json:"started_at"`
	// Cartons are the closed cartons; once shipped, as confirmed (carton N of Of).
	Cartons []PackCarton `json:"cartons"`
	// Voided are the SSCCs of cartons unpacked (or abandoned by a new pack):
	// never used again.
	Voided     []string      `json:"voided,omitempty"`
	Audits     []CartonAudit `json:"audits,omitempty"` // weight audits, in order
	Short      []PackShort   `json:"short,omitempty"`
	HoldReason HoldReason    `json:"hold_reason,omitempty"`
	// Holds are the reasons of every hold of the order's pack, in order,
	// kept when the pack starts again and once shipped: an order ever held
	// at the pack station is an exception (the order accuracy KPI).
	Holds     []HoldReason `json:"holds,omitempty"`
	Partial   bool         `json:"partial,omitempty"` // shipped short, the rest backordered
	ShippedAt time.Time    `json:"shipped_at,omitzero"`
	// Invoice is the commercial invoice of an international shipment, as
	// the hub made it from the ship confirmation and its item master.
	Invoice *CustomsInvoice `json:"invoice,omitempty"`
}
