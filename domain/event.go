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

// Event types of cycle counts and returns.
const (
	EventCountSubmitted EventType = "count.location_counted" // payload CountSubmitted
	EventReturnReceived EventType = "return.received"        // payload ReturnReceived
)
