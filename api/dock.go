package api

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/rfterm/rfterm/domain"
)

// Error codes of the dock's calls and events.
const (
	// CodeUnknownSSCC: an SSCC no shipment of the site carries (never
	// packed, voided, or mistyped).
	CodeUnknownSSCC = "unknown_sscc"
	// CodeWrongLoad: the carton is for another carrier or service, or
	// planned on another load (or its staging lane).
	CodeWrongLoad = "wrong_load"
	// CodeOrderHeld: the carton's order is held (the exception lane) or
	// not shipped yet: it stays off the trailer.
	CodeOrderHeld = "order_held"
	// CodeAlreadyLoaded: the carton is on a trailer already.
	CodeAlreadyLoaded = "already_loaded"
	// CodeLoadClosed: the load is closed; nothing more goes on it.
	CodeLoadClosed = "load_closed"
	// CodeLoadIncomplete: a close with planned cartons missing and no
	// lead's override, or whose short list is not what is missing.
	CodeLoadIncomplete = "load_incomplete"
	// CodeOverrideInvalid: a short close whose lead held no lead session at
	// the closing device, or that gave no reason.
	CodeOverrideInvalid = "override_invalid"
	// CodeNoPartner: an ASN asked of an order with no trading partner, or
	// one the site's configuration does not list.
	CodeNoPartner = "no_partner"
	// CodeNotClosed: a document of a load (or an ASN of a shipment) that is
	// issued only when its load is closed.
	CodeNotClosed = "not_closed"
)

// Kinds of Change about loads: LoadID names the load; the dock's
// terminals fetch the dock again.
const (
	ChangeLoadCreated = "load_created" // a load was planned
	ChangeLoadChanged = "load_changed" // a load's plan or cartons changed (an order planned, held, cancelled)
	ChangeLoadClosed  = "load_closed"  // a load was closed
)

// CreateLoadRequest plans a load (the coordinator's or the host system's
// call). ID may be empty: the hub numbers it. Orders are planned on it now;
// orders shipping later with the same carrier and service join it too.
type CreateLoadRequest struct {
	ID          string    `json:"id,omitempty"`
	Carrier     string    `json:"carrier"`
	Service     string    `json:"service"`
	Trailer     string    `json:"trailer,omitempty"`
	Route       string    `json:"route,omitempty"`
	Door        string    `json:"door"`
	Lane        string    `json:"lane,omitempty"`
	ScheduledAt time.Time `json:"scheduled_at"`
	PRO         string    `json:"pro,omitempty"`
	Orders      []string  `json:"orders,omitempty"`
}

// DockCarton is a shipped carton as the dock sees it.
type DockCarton = domain.DockCarton

// LoadView is a load with its planned cartons and what is still missing.
type LoadView struct {
	domain.Load
	Planned       []DockCarton `json:"planned"`        // every carton of its planned orders
	Missing       []DockCarton `json:"missing"`        // planned and not loaded
	MissingOrders []string     `json:"missing_orders"` // planned orders with a carton not loaded
}

// DockResponse is what a dock terminal caches to stage and load offline:
// the site's staging lanes and dock doors, the loads not closed, and every
// carton that may come to the dock (those of shipped orders but the ones
// that left on a closed load, so the cartons a short close left behind
// too, and the closed cartons of orders not shipped, still at the pack
// station or held, or cancelled, to refuse them by name).
type DockResponse struct {
	Lanes   []string     `json:"lanes"` // the site's staging lanes; empty: any lane
	Doors   []string     `json:"doors"` // the site's dock doors; empty: any door
	Loads   []LoadView   `json:"loads"`
	Cartons []DockCarton `json:"cartons"`
	At      time.Time    `json:"at"` // when the hub made it
}

// CreateLoad plans a load.
func (c *Client) CreateLoad(ctx context.Context, req CreateLoadRequest) (LoadView, error) {
	var out LoadView
	return out, c.do(ctx, http.MethodPost, "/v1/loads", req, &out)
}

// Loads lists the loads, by id; status ("open", "loading", "closed") filters.
func (c *Client) Loads(ctx context.Context, status string) ([]LoadView, error) {
	path := "/v1/loads"
	if status != "" {
		path += "?" + url.Values{"status": {status}}.Encode()
	}
	var out []LoadView
	return out, c.do(ctx, http.MethodGet, path, nil, &out)
}

// Load returns one load.
func (c *Client) Load(ctx context.Context, id string) (LoadView, error) {
	var out LoadView
	return out, c.do(ctx, http.MethodGet, "/v1/loads/"+url.PathEscape(id), nil, &out)
}

// Dock returns what a dock terminal caches: the loads not closed and the
// cartons that may come to the dock.
func (c *Client) Dock(ctx context.Context) (DockResponse, error) {
	var out DockResponse
	return out, c.do(ctx, http.MethodGet, "/v1/dock", nil, &out)
}
