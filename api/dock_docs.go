package api

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// DockException is a planned carton a load was closed without: the lead's
// leave and reason, for someone to find the carton and send it on. The
// carton is released (planned on no load); once it goes on another load,
// LoadedOn and LoadedAt say which and when: the exception is resolved.
type DockException struct {
	LoadID   string    `json:"load_id"`
	SSCC     string    `json:"sscc"`
	OrderID  string    `json:"order_id"`
	At       time.Time `json:"at"`      // when the load was closed
	UserID   string    `json:"user_id"` // the loader who closed it
	DeviceID string    `json:"device_id"`
	LeadID   string    `json:"lead_id"`
	Reason   string    `json:"reason"`
	LoadedOn string    `json:"loaded_on,omitempty"` // the load the carton went on since
	LoadedAt time.Time `json:"loaded_at,omitzero"`  // when it went on
}

// Kinds of a load's documents (LoadDocument).
const (
	DocBillOfLading = "bol"      // format "pdf" or "zpl"
	DocManifest     = "manifest" // format "json" or "csv"
)

// Formats of an ASN (Client.ASN).
const (
	ASNX12     = "x12"     // one ANSI X12 856 interchange
	ASNEDIFACT = "edifact" // one EDIFACT DESADV D.96A interchange
)

// Exceptions lists the dock's exceptions (the cartons loads were closed
// without), by load and SSCC: a lead's or the integration's call.
func (c *Client) Exceptions(ctx context.Context) ([]DockException, error) {
	var out []DockException
	return out, c.do(ctx, http.MethodGet, "/v1/exceptions", nil, &out)
}

// LoadDocument fetches one of a closed load's documents as the hub makes it:
// kind DocBillOfLading ("pdf" or "zpl") or DocManifest ("json" or "csv").
// Before the load is closed it is a 409 not_closed.
func (c *Client) LoadDocument(ctx context.Context, loadID, kind, format string) ([]byte, error) {
	var out []byte
	path := "/v1/loads/" + url.PathEscape(loadID) + "/" + url.PathEscape(kind) + "?" + url.Values{"format": {format}}.Encode()
	return out, c.do(ctx, http.MethodGet, path, nil, &out)
}

// ASN fetches a shipment's advance ship notice, format ASNX12 or
// ASNEDIFACT, with the control numbers the hub gave it when its load
// closed: 409 not_closed before, no_partner for an order without a trading
// partner. An order shipped on several loads (cartons left behind by a
// short close went on a later one) has an ASN per load: this is the one of
// the last load it left on; LoadASN fetches any.
func (c *Client) ASN(ctx context.Context, orderID, format string) ([]byte, error) {
	return c.LoadASN(ctx, orderID, "", format)
}

// LoadASN fetches the advance ship notice of what an order shipped on one
// load (loadID; empty: the last load it left on), as ASN does. A load the
// order did not leave on is 404 not_found.
func (c *Client) LoadASN(ctx context.Context, orderID, loadID, format string) ([]byte, error) {
	var out []byte
	q := url.Values{"format": {format}}
	if loadID != "" {
		q.Set("load", loadID)
	}
	path := "/v1/shipments/" + url.PathEscape(orderID) + "/asn?" + q.Encode()
	return out, c.do(ctx, http.MethodGet, path, nil, &out)
}

// CarrierManifest fetches a carrier's end-of-day manifest: the parcels of
// every load of the carrier closed on day's UTC date, format "json" or
// "csv".
func (c *Client) CarrierManifest(ctx context.Context, carrier string, day time.Time, format string) ([]byte, error) {
	var out []byte
	q := url.Values{"format": {format}, "date": {day.UTC().Format(time.DateOnly)}}
	return out, c.do(ctx, http.MethodGet, "/v1/manifests/"+url.PathEscape(carrier)+"?"+q.Encode(), nil, &out)
}
