package api

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// MaxKPIWindow is the longest window GET /v1/kpis takes.
const MaxKPIWindow = 366 * 24 * time.Hour

// DefaultKPIWindow is the window GET /v1/kpis reads when from is not
// given: the last 24 hours before to (default now).
const DefaultKPIWindow = 24 * time.Hour

// Ratio is one figure with what it is made of, so a reader can check it:
// Value is Numerator ÷ Denominator, 0 when Denominator is 0. A share (on
// time, accuracy, fill rate, late loads) is a fraction: 0.75 is 75 %.
type Ratio struct {
	Numerator   int     `json:"numerator"`
	Denominator int     `json:"denominator"`
	Value       float64 `json:"value"`
}

// PickRate is picking's pace for the floor, one user or one zone over the
// window: the units and pick lines confirmed, and the active hours they
// were confirmed in. An active hour is a clock hour (UTC) in which the
// user (or zone) confirmed at least one pick; the floor's hours are the
// users' active hours added up.
type PickRate struct {
	Key          string  `json:"key"`   // the user id or zone; empty for the floor
	Units        int     `json:"units"` // units confirmed (pick.line_picked)
	Lines        int     `json:"lines"` // pick lines: pick.line_picked events
	Hours        int     `json:"active_hours"`
	UnitsPerHour float64 `json:"units_per_hour"` // Units ÷ Hours
	LinesPerHour float64 `json:"lines_per_hour"` // Lines ÷ Hours
}

// KPIs are the coordinator's figures over a window [From, To); the README's
// "Coordinator's figures" defines each.
type KPIs struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// OnTimeInFull: orders shipped complete by their deadline (the end of
	// the promised UTC day) ÷ orders whose deadline is in the window.
	OnTimeInFull Ratio `json:"on_time_in_full"`
	// OrderAccuracy: orders shipped in the window without a short, an
	// exception or a return for a picking error ÷ orders shipped in it.
	OrderAccuracy Ratio `json:"order_accuracy"`
	// FillRate: units shipped ÷ units ordered, of the orders shipped in
	// the window; LineFillRate: their lines shipped complete ÷ their lines.
	FillRate     Ratio `json:"fill_rate"`
	LineFillRate Ratio `json:"line_fill_rate"`
	// Picking is the floor's pace; ByUser and ByZone the same per user
	// and per zone (of the pick's location), in key order.
	Picking PickRate   `json:"picking"`
	ByUser  []PickRate `json:"by_user"`
	ByZone  []PickRate `json:"by_zone"`
	// CartonsPerHour: cartons loaded in the window ÷ its active loading
	// hours (clock hours, UTC, with a carton loaded).
	CartonsPerHour Ratio `json:"cartons_per_hour"`
	// LateLoads: loads closed in the window after their scheduled time ÷
	// loads closed in it.
	LateLoads Ratio `json:"late_loads"`
}

// KPIs reads the coordinator's figures over [from, to); a zero to is now,
// a zero from DefaultKPIWindow before to. A lead reads them with a lead
// session (WithLeadSession), the integration with the API key.
func (c *Client) KPIs(ctx context.Context, from, to time.Time) (KPIs, error) {
	q := url.Values{}
	if !from.IsZero() {
		q.Set("from", from.UTC().Format(time.RFC3339Nano))
	}
	if !to.IsZero() {
		q.Set("to", to.UTC().Format(time.RFC3339Nano))
	}
	path := "/v1/kpis"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var out KPIs
	return out, c.do(ctx, http.MethodGet, path, nil, &out)
}
