package api

import (
	"time"

	"github.com/rfterm/rfterm/domain"
)

// Error codes of cycle counts and returns.
const (
	CodeNotPending       = "not_pending"        // the adjustment was decided already
	CodeAlreadyCounted   = "already_counted"    // the location of this count task was submitted already
	CodeRMAClosed        = "rma_closed"         // the RMA was received already
	CodeSerialNotShipped = "serial_not_shipped" // a returned serial was not shipped on the order
	CodeNothingDue       = "nothing_due"        // no location is due for a count
)

// Lead-only calls name the lead: UserID in the request body, or the "user"
// query parameter of a read. The hub looks the user up and refuses anyone but
// a lead with 403 forbidden. The device token still says which device asked.

// CreateCountsRequest asks for count tasks (a lead's call). By says how the
// locations are chosen: Locations (by locations), Zone (by zone), SKU (by
// item), or Class (by ABC; empty for every class) for the locations whose
// item's class is due.
type CreateCountsRequest struct {
	UserID    string          `json:"user_id"`
	By        domain.CountBy  `json:"by"`
	Locations []string        `json:"locations,omitempty"`
	Zone      string          `json:"zone,omitempty"`
	SKU       string          `json:"sku,omitempty"`
	Class     domain.ABCClass `json:"class,omitempty"`
}

// CreateCountsResponse lists the count tasks made.
type CreateCountsResponse struct {
	Tasks []domain.CountTask `json:"tasks"`
}

// CountClaimResponse is a count task with what is needed to count it offline:
// its locations and the items known to be stored there. It never carries the
// system quantities: the count is blind.
type CountClaimResponse struct {
	Task      domain.CountTask  `json:"task"`
	Items     []domain.Item     `json:"items"`
	Locations []domain.Location `json:"locations"`
}

// Adjustment statuses.
const (
	AdjustPending  = "pending_approval" // above the approval value: waits for a lead
	AdjustApplied  = "applied"          // the stock quantities are changed
	AdjustRejected = "rejected"         // a lead refused it; stock unchanged
)

// AdjustmentLine is the change of one item's quantity at the location:
// Counted minus System when the count was taken.
type AdjustmentLine struct {
	SKU        string `json:"sku"`
	System     int    `json:"system"`
	Counted    int    `json:"counted"`
	Delta      int    `json:"delta"`
	ValueCents int    `json:"value_cents"` // |Delta| x unit price
}

// Adjustment is a stock correction proposed from agreeing counts.
type Adjustment struct {
	ID         string           `json:"id"`
	Location   string           `json:"location"`
	TaskID     string           `json:"task_id"` // the count task whose count it applies
	Status     string           `json:"status"`
	Lines      []AdjustmentLine `json:"lines"`
	ValueCents int              `json:"value_cents"`
	Reason     string           `json:"reason"` // why it was proposed
	ProposedAt time.Time        `json:"proposed_at"`
	DecidedBy  string           `json:"decided_by,omitempty"`
	DecidedAt  *time.Time       `json:"decided_at,omitempty"`
}

// DecisionRequest approves or rejects a pending adjustment (a lead's call).
type DecisionRequest struct {
	UserID  string `json:"user_id"`
	Approve bool   `json:"approve"`
	Note    string `json:"note,omitempty"`
}

// Audit entry kinds.
const (
	AuditCount            = "count"
	AuditRecount          = "recount"
	AuditRecountCreated   = "recount_created"
	AuditAdjustProposed   = "adjustment_proposed"
	AuditAdjustApplied    = "adjustment_applied"
	AuditApproved         = "approved"
	AuditRejected         = "rejected"
	AuditReturnRestocked  = "return_restocked"
	AuditCountTaskCreated = "count_task_created"
)

// AuditLine is one item's quantity before and after: for a count, the system
// quantity and the counted one; for an adjustment, the stock before and after.
type AuditLine struct {
	SKU    string `json:"sku"`
	Before int    `json:"before"`
	After  int    `json:"after"`
}

// AuditEntry is one record of the inventory audit trail.
type AuditEntry struct {
	Seq          uint64      `json:"seq"`
	At           time.Time   `json:"at"`
	Kind         string      `json:"kind"`
	UserID       string      `json:"user_id"`
	DeviceID     string      `json:"device_id"`
	TaskID       string      `json:"task_id,omitempty"`
	Location     string      `json:"location,omitempty"`
	AdjustmentID string      `json:"adjustment_id,omitempty"`
	RMA          string      `json:"rma,omitempty"`
	Lines        []AuditLine `json:"lines"`
	Detail       string      `json:"detail,omitempty"`
}

// Variance sums count differences for one location or item.
type Variance struct {
	Key        string `json:"key"`         // location code or SKU
	Counts     int    `json:"counts"`      // counts taken
	Units      int    `json:"units"`       // sum of |counted - system|
	NetUnits   int    `json:"net_units"`   // sum of counted - system
	ValueCents int    `json:"value_cents"` // sum of |difference| x unit price
}

// HourCount is how many location counts were submitted in one clock hour.
type HourCount struct {
	Hour   time.Time `json:"hour"`
	Counts int       `json:"counts"`
}

// CountKPIs are the cycle count measures. Accuracy is inventory record
// accuracy: the percent of first counts (recounts left out) that matched the
// system quantity of every item at the location.
type CountKPIs struct {
	Counts        int         `json:"counts"`   // first counts of a location
	Matched       int         `json:"matched"`  // of which matched
	Recounts      int         `json:"recounts"` // recounts taken
	Accuracy      float64     `json:"accuracy_percent"`
	ByLocation    []Variance  `json:"by_location"`
	ByItem        []Variance  `json:"by_item"`
	PerHour       []HourCount `json:"per_hour"`
	CountsPerHour float64     `json:"counts_per_hour"` // all counts over the hours with any count
	Unknown       int         `json:"unknown_scans"`   // barcodes counted that no item has, for review
}

// ClassRequest sets an item's ABC class by hand (a lead's call).
type ClassRequest struct {
	UserID string          `json:"user_id"`
	SKU    string          `json:"sku"`
	Class  domain.ABCClass `json:"class"`
}

// ItemClass is an item's ABC class: set by hand, or from the units picked
// over the policy's velocity window.
type ItemClass struct {
	SKU    string          `json:"sku"`
	Class  domain.ABCClass `json:"class"`
	Manual bool            `json:"manual"`
	Picked int             `json:"picked_units"`
}

// ReturnsResponse lists the open RMAs with what is needed to receive them
// offline: every item of the site (one not on the RMA is still named), each
// with its home location (domain.Item.Home, where a restocked unit goes), and
// the put-away locations.
type ReturnsResponse struct {
	RMAs      []domain.RMA      `json:"rmas"`
	Items     []domain.Item     `json:"items"`
	Locations []domain.Location `json:"locations"`
}

// ReturnReceipt is a received return, recorded for credit.
type ReturnReceipt struct {
	RMA         string                `json:"rma"`
	UserID      string                `json:"user_id"`
	DeviceID    string                `json:"device_id"`
	At          time.Time             `json:"at"`
	Units       []domain.ReturnedUnit `json:"units"`
	CreditCents int                   `json:"credit_cents"` // unit price of the expected units received
	Credit      string                `json:"credit"`       // "pending" until finance settles it
}

// ReturnDetail is one RMA and, once received, its receipt.
type ReturnDetail struct {
	RMA     domain.RMA     `json:"rma"`
	Receipt *ReturnReceipt `json:"receipt,omitempty"`
}
