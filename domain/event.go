package domain

import (
	"encoding/json"
	"fmt"
	"time"
)

// EventType names what happened on the floor.
type EventType string

// Event types sent by devices.
const (
	EventTaskStarted   EventType = "pick.task_started"   // payload TaskStarted
	EventLinePicked    EventType = "pick.line_picked"    // payload PickLine, Short == 0
	EventLineShorted   EventType = "pick.line_shorted"   // payload PickLine, Short > 0
	EventTaskCompleted EventType = "pick.task_completed" // payload TaskCompleted
)

// Event is one confirmed step, as queued on the device and delivered to the hub.
// The hub applies an event exactly once per (DeviceID, ID).
type Event struct {
	ID       string          `json:"id"`        // unique on the device
	DeviceID string          `json:"device_id"` // the device that recorded it
	Seq      uint64          `json:"seq"`       // per-device sequence, from 1, no gaps
	Type     EventType       `json:"type"`
	At       time.Time       `json:"at"`
	UserID   string          `json:"user_id"`
	Payload  json.RawMessage `json:"payload"`
}

// TaskStarted is the payload of EventTaskStarted: the picker scanned the tote.
type TaskStarted struct {
	TaskID string `json:"task_id"`
	Tote   string `json:"tote"`
}

// PickLine is the payload of EventLinePicked and EventLineShorted.
type PickLine struct {
	TaskID   string      `json:"task_id"`
	Line     int         `json:"line"`
	SKU      string      `json:"sku"`
	Location string      `json:"location"`
	Tote     string      `json:"tote"`
	Picked   int         `json:"picked"`
	Short    int         `json:"short"`
	Reason   ShortReason `json:"reason,omitempty"`
	Lots     []LotQty    `json:"lots,omitempty"`
	Serials  []string    `json:"serials,omitempty"`
}

// LotQty is a quantity of one lot.
type LotQty struct {
	Lot string `json:"lot"`
	Qty int    `json:"qty"`
}

// TaskCompleted is the payload of EventTaskCompleted.
type TaskCompleted struct {
	TaskID string `json:"task_id"`
	Tote   string `json:"tote"`
}

// Draft is an event before the device store gives it an identity and a sequence number.
type Draft struct {
	Type    EventType
	At      time.Time
	UserID  string
	Payload any
}

// NewDraft makes a draft event.
func NewDraft(t EventType, at time.Time, user string, payload any) Draft {
	return Draft{Type: t, At: at, UserID: user, Payload: payload}
}

// Seal gives the draft its identity, ready to queue.
func (d Draft) Seal(device string, seq uint64, id string) (Event, error) {
	raw, err := json.Marshal(d.Payload)
	if err != nil {
		return Event{}, fmt.Errorf("encode %s payload: %w", d.Type, err)
	}
	return Event{ID: id, DeviceID: device, Seq: seq, Type: d.Type, At: d.At.UTC(), UserID: d.UserID, Payload: raw}, nil
}

// Event types sent by pack stations.
const (
	EventPackStarted    EventType = "pack.started"         // payload PackStarted
	EventPackShorted    EventType = "pack.line_shorted"    // payload PackShort
	EventCartonClosed   EventType = "pack.carton_closed"   // payload PackCarton
	EventCartonAudit    EventType = "pack.carton_audit"    // payload CartonAudit
	EventCartonUnpacked EventType = "pack.carton_unpacked" // payload CartonUnpacked
	EventPackHeld       EventType = "pack.order_held"      // payload PackHold
	EventShipConfirmed  EventType = "pack.ship_confirmed"  // payload ShipConfirm
)

// PackStarted is the payload of EventPackStarted: the packer scanned the
// tote or the order.
type PackStarted struct {
	OrderID string `json:"order_id"`
	Tote    string `json:"tote,omitempty"`
	// Resume says the station resumes the order's held shipment: its
	// closed cartons whose SSCCs are in Kept stay on it (the others are
	// void). Without it a pack started again starts over.
	Resume bool     `json:"resume,omitempty"`
	Kept   []string `json:"kept,omitempty"`
}

// PackShort is the payload of EventPackShorted, and a backorder line of
// ShipConfirm: Short units of an order line do not ship.
type PackShort struct {
	OrderID   string `json:"order_id"`
	Line      int    `json:"line"`
	SKU       string `json:"sku"`
	Short     int    `json:"short"`
	Backorder bool   `json:"backorder"` // false: the order is held (ship complete)
}

// CartonContent is what one carton holds of one order line.
type CartonContent struct {
	Line    int      `json:"line"`
	SKU     string   `json:"sku"`
	Qty     int      `json:"qty"`
	Lots    []LotQty `json:"lots,omitempty"`
	Serials []string `json:"serials,omitempty"`
}

// PackCarton is the payload of EventCartonClosed and a carton of
// ShipConfirm: a closed, weighed carton with its SSCC.
type PackCarton struct {
	OrderID       string          `json:"order_id"`
	SSCC          string          `json:"sscc"`
	CartonType    string          `json:"carton_type"`
	Dims          Dims            `json:"dims"` // the carton type's inner dimensions
	Contents      []CartonContent `json:"contents"`
	WeightGrams   int             `json:"weight_g"`
	ExpectedGrams int             `json:"expected_g"`
	ManualWeight  bool            `json:"manual_weight,omitempty"` // typed by the packer, no scale
	// N and Of are "carton N of Of", fixed when the order is complete: 0 in
	// EventCartonClosed, set in ShipConfirm and on the labels.
	N  int `json:"n,omitempty"`
	Of int `json:"of,omitempty"`
}

// Audit decisions for a carton whose weight is out of tolerance.
const (
	AuditHold      = "hold"      // out of tolerance: the carton is on audit hold
	AuditRecount   = "recount"   // the packer empties and recounts the carton
	AuditReweigh   = "reweigh"   // the packer weighs it again
	AuditException = "exception" // the order goes to the exception lane
)

// CartonAudit is the payload of EventCartonAudit.
type CartonAudit struct {
	OrderID       string          `json:"order_id"`
	CartonType    string          `json:"carton_type"`
	Contents      []CartonContent `json:"contents"`
	WeightGrams   int             `json:"weight_g"`
	ExpectedGrams int             `json:"expected_g"`
	AllowedGrams  int             `json:"allowed_g"`
	ManualWeight  bool            `json:"manual_weight,omitempty"`
	Decision      string          `json:"decision"` // AuditHold, AuditRecount, AuditReweigh
}

// CartonUnpacked is the payload of EventCartonUnpacked: a closed carton
// was opened again before ship confirm; its SSCC is void, never reused.
type CartonUnpacked struct {
	OrderID  string          `json:"order_id"`
	SSCC     string          `json:"sscc"`
	Contents []CartonContent `json:"contents"`
}

// PackHold is the payload of EventPackHeld: the order leaves the pack
// station without shipping.
type PackHold struct {
	OrderID string       `json:"order_id"`
	Reason  HoldReason   `json:"reason"`
	Cartons []PackCarton `json:"cartons,omitempty"` // closed so far
	Short   []PackShort  `json:"short,omitempty"`
}

// ShipConfirm is the payload of EventShipConfirmed: the order's cartons
// leave, and what is short is backordered.
type ShipConfirm struct {
	OrderID string       `json:"order_id"`
	Tote    string       `json:"tote,omitempty"`
	Cartons []PackCarton `json:"cartons"`
	Short   []PackShort  `json:"short,omitempty"`
	Partial bool         `json:"partial,omitempty"`
	// Invoice is the commercial invoice printed for an international
	// shipment; the hub keeps its data with the shipment.
	Invoice *InvoiceRef `json:"invoice,omitempty"`
}

// Event types of cycle counts and returns.
const (
	EventCountSubmitted EventType = "count.location_counted" // payload CountSubmitted
	EventReturnReceived EventType = "return.received"        // payload ReturnReceived
)
