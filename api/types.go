package api

import (
	"time"

	"github.com/rfterm/rfterm/domain"
)

// RegisterRequest enrols a device; it is the only call made without a device token.
type RegisterRequest struct {
	DeviceID  string `json:"device_id"`
	EnrollKey string `json:"enroll_key"`
}

// RegisterResponse carries the device's token, sent afterwards as "Authorization: Bearer TOKEN".
type RegisterResponse struct {
	DeviceID string `json:"device_id"`
	Token    string `json:"token"`
}

// LoginRequest logs a user in by the badge barcode they scanned.
type LoginRequest struct {
	Badge string `json:"badge"`
}

// LoginResponse is the user behind the badge.
type LoginResponse struct {
	User domain.User `json:"user"`
}

// ClaimRequest asks for the next pick task for a user (POST /v1/tasks/claim),
// or a cluster of them (POST /v1/clusters/claim). A user who already holds
// unfinished work of that kind gets it back.
type ClaimRequest struct {
	UserID string `json:"user_id"`
}

// ClaimResponse is a task with everything needed to pick it offline.
type ClaimResponse struct {
	Task      domain.Task       `json:"task"`
	Order     domain.Order      `json:"order"`
	Items     []domain.Item     `json:"items"`
	Locations []domain.Location `json:"locations"`
	// BusyTotes are the totes known, at the claim, to hold another order's
	// picked, unpacked goods: the device refuses them as the task's tote
	// (offline too), naming the order; the hub refuses them in any case.
	BusyTotes []domain.ToteHold `json:"busy_totes,omitempty"`
}

// ClusterResponse is a cluster of small pick tasks for one user to pick at
// once (cluster picking), each with everything needed to pick it offline,
// in cart order: Tasks[i] goes in the tote at cart position
// Tasks[i].Task.Position. The request is a ClaimRequest.
type ClusterResponse struct {
	ID    string          `json:"id"` // the cluster, e.g. "CL-000001"
	Tasks []ClaimResponse `json:"tasks"`
}

// Parts returns the cluster's tasks in cart order and the items and
// locations of all their lines, each once (flow.NewCluster takes them).
func (r ClusterResponse) Parts() (tasks []domain.Task, items []domain.Item, locations []domain.Location) {
	haveItem, haveLoc := map[string]bool{}, map[string]bool{}
	for _, t := range r.Tasks {
		tasks = append(tasks, t.Task)
		for _, it := range t.Items {
			if !haveItem[it.SKU] {
				haveItem[it.SKU] = true
				items = append(items, it)
			}
		}
		for _, l := range t.Locations {
			if !haveLoc[l.Code] {
				haveLoc[l.Code] = true
				locations = append(locations, l)
			}
		}
	}
	return tasks, items, locations
}

// BusyTotes are the totes busy for the cluster's tasks: held by an order
// that is not in the cluster, each once (flow's KnowBusyTotes takes them).
func (r ClusterResponse) BusyTotes() []domain.ToteHold {
	mine, seen := map[string]bool{}, map[string]bool{}
	for _, t := range r.Tasks {
		mine[t.Task.OrderID] = true
	}
	var out []domain.ToteHold
	for _, t := range r.Tasks {
		for _, h := range t.BusyTotes {
			if !mine[h.OrderID] && !seen[h.Tote] {
				seen[h.Tote] = true
				out = append(out, h)
			}
		}
	}
	return out
}

// IngestRequest is a batch of queued events from one device, in sequence order.
type IngestRequest struct {
	DeviceID string         `json:"device_id"`
	Events   []domain.Event `json:"events"`
	// ResumeFrom, when set, tells the hub that the device no longer holds
	// any event before this sequence number (the hub asked for one the device
	// had already seen settled): the hub moves its expected sequence up to it.
	// It never moves the expected sequence back.
	ResumeFrom uint64 `json:"resume_from,omitempty"`
}

// Result statuses for one event in a batch.
const (
	StatusApplied   = "applied"   // the effect is recorded now
	StatusDuplicate = "duplicate" // the effect was recorded earlier; nothing changed
	StatusRejected  = "rejected"  // a business rule refused it: final, never retry
	// StatusDeferred: not looked at, because an earlier sequence number is
	// missing; the device resends from IngestResponse.NextSeq.
	StatusDeferred = "deferred"
)

// EventResult is the hub's answer for one event.
type EventResult struct {
	ID      string `json:"id"`
	Seq     uint64 `json:"seq"`
	Status  string `json:"status"`
	Code    string `json:"code,omitempty"`    // with StatusRejected
	Message string `json:"message,omitempty"` // with StatusRejected
}

// IngestResponse answers an IngestRequest, one result per event, same order.
type IngestResponse struct {
	Results []EventResult `json:"results"`
	// NextSeq is the sequence number the hub expects next from the device:
	// one more than the last event it has taken, in order. When an event
	// arrives with a higher number (a gap), it and the rest of the batch are
	// deferred, and the device resends from NextSeq.
	NextSeq uint64 `json:"next_seq"`
}

// Error codes carried in ErrorBody.Code and EventResult.Code.
const (
	CodeBadRequest     = "bad_request"
	CodeUnauthorized   = "unauthorized"
	CodeNotFound       = "not_found"
	CodeUnknownBadge   = "unknown_badge"
	CodeNoTask         = "no_task"
	CodeTaskNotHeld    = "task_not_held"
	CodeOrderCancelled = "order_cancelled"
	CodeOverQuantity   = "over_quantity"
	CodeUnknownItem    = "unknown_item"
	CodeUnknownLine    = "unknown_line"
	CodeInternal       = "internal"
	CodeForbidden      = "forbidden" // a device acting for another device
	CodeConflict       = "conflict"  // the change asked for does not fit the record's state
	// CodeWorkHeld: the user holds other pick work (a cluster when claiming a
	// task, a task when claiming a cluster) to finish first.
	CodeWorkHeld = "work_held"
	// CodeEventConflict: an event id the hub has seen arrived with other
	// contents; the new contents were not applied.
	CodeEventConflict = "event_conflict"
	// CodeToteBusy: the tote holds another order's picked, unpacked goods.
	CodeToteBusy = "tote_busy"
	// CodeUnknownLot: a picked lot is not one the site holds at the location.
	CodeUnknownLot = "unknown_lot"
	// CodeSerialRule: a serial does not match the item's serial rule.
	CodeSerialRule = "serial_rule"
	// CodeSerialUsed: a serial was picked or shipped already (serials are
	// unique on the site).
	CodeSerialUsed = "serial_used"
)

// ErrorBody is every non-2xx response body: {"error":{"code":"...","message":"..."}}.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is a machine-readable code and a message for people.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Kinds of Change.
const (
	ChangeOrderCancelled  = "order_cancelled"  // the task's order was cancelled; the task with it
	ChangeTaskReassigned  = "task_reassigned"  // the task now belongs to UserID (empty: back in the pool)
	ChangePriorityChanged = "priority_changed" // the task's order has a new priority
)

// Change is one change the hub made to a task behind the devices' backs:
// what a device holding the task must learn, even after being offline.
type Change struct {
	Seq            uint64    `json:"seq"`
	Kind           string    `json:"kind"`
	TaskID         string    `json:"task_id"`
	OrderID        string    `json:"order_id"`
	UserID         string    `json:"user_id,omitempty"`          // the task's holder now
	PreviousUserID string    `json:"previous_user_id,omitempty"` // its holder before
	Priority       int       `json:"priority,omitempty"`         // with priority_changed
	Reason         string    `json:"reason,omitempty"`           // why, for people
	LoadID         string    `json:"load_id,omitempty"`          // with the load changes
	At             time.Time `json:"at"`
}

// ChangesResponse is a page of changes after a cursor.
type ChangesResponse struct {
	Changes []Change `json:"changes"`
	// Cursor is the seq of the last change in the page (the request's cursor
	// when the page is empty): ask again with after=Cursor.
	Cursor uint64 `json:"cursor"`
	More   bool   `json:"more"` // another page is waiting
}

// CancelOrderRequest cancels an order (a lead's or the host system's call).
type CancelOrderRequest struct {
	Reason string `json:"reason"`
}

// ReassignTaskRequest gives a task to another user; an empty UserID puts it
// back in the pool for the next claim.
type ReassignTaskRequest struct {
	UserID string `json:"user_id"`
}

// PriorityRequest sets an order's priority (lower is more urgent).
type PriorityRequest struct {
	Priority int `json:"priority"`
}
