package api

import (
	"context"
	"net/http"
	"net/url"

	"github.com/rfterm/rfterm/domain"
)

// PackWork finds what a pack station needs for an order: by the tote it was
// picked into (tote) or by its id (orderID); give one of them.
func (c *Client) PackWork(ctx context.Context, tote, orderID string) (PackWorkResponse, error) {
	q := url.Values{}
	if tote != "" {
		q.Set("tote", tote)
	}
	if orderID != "" {
		q.Set("order", orderID)
	}
	var out PackWorkResponse
	return out, c.do(ctx, http.MethodGet, "/v1/pack?"+q.Encode(), nil, &out)
}

// ReserveSSCCs reserves a block of up to n serial references for this
// device's SSCCs (the hub may give fewer).
func (c *Client) ReserveSSCCs(ctx context.Context, n int) (SSCCBlock, error) {
	var out SSCCBlock
	return out, c.do(ctx, http.MethodPost, "/v1/sscc-blocks", SSCCBlockRequest{Count: n}, &out)
}

// SSCCBlocks lists every SSCC block the hub has reserved, oldest first.
func (c *Client) SSCCBlocks(ctx context.Context) ([]SSCCReservation, error) {
	var out []SSCCReservation
	return out, c.do(ctx, http.MethodGet, "/v1/sscc-blocks", nil, &out)
}

// Shipments lists every order's shipment (in progress, held or shipped), by order id.
func (c *Client) Shipments(ctx context.Context) ([]domain.Shipment, error) {
	var out []domain.Shipment
	return out, c.do(ctx, http.MethodGet, "/v1/shipments", nil, &out)
}

// Shipment returns one order's shipment.
func (c *Client) Shipment(ctx context.Context, orderID string) (domain.Shipment, error) {
	var out domain.Shipment
	return out, c.do(ctx, http.MethodGet, "/v1/shipments/"+url.PathEscape(orderID), nil, &out)
}

// CartonTypes lists the site's carton types, by code.
func (c *Client) CartonTypes(ctx context.Context) ([]domain.CartonType, error) {
	var out []domain.CartonType
	return out, c.do(ctx, http.MethodGet, "/v1/carton-types", nil, &out)
}
