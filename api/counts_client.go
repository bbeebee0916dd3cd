package api

import (
	"context"
	"net/http"
	"net/url"

	"github.com/rfterm/rfterm/domain"
)

// CreateCounts makes count tasks; req.UserID must be a lead.
func (c *Client) CreateCounts(ctx context.Context, req CreateCountsRequest) (CreateCountsResponse, error) {
	var out CreateCountsResponse
	return out, c.do(ctx, http.MethodPost, "/v1/counts/tasks", req, &out)
}

// CountTasks lists every count task.
func (c *Client) CountTasks(ctx context.Context) ([]domain.CountTask, error) {
	var out []domain.CountTask
	return out, c.do(ctx, http.MethodGet, "/v1/counts/tasks", nil, &out)
}

// CountTask returns one count task.
func (c *Client) CountTask(ctx context.Context, id string) (domain.CountTask, error) {
	var out domain.CountTask
	return out, c.do(ctx, http.MethodGet, "/v1/counts/tasks/"+url.PathEscape(id), nil, &out)
}

// ClaimCount claims the next count task for a user, or returns the one they hold.
func (c *Client) ClaimCount(ctx context.Context, userID string) (CountClaimResponse, error) {
	var out CountClaimResponse
	return out, c.do(ctx, http.MethodPost, "/v1/counts/claim", ClaimRequest{UserID: userID}, &out)
}

// Adjustments lists stock adjustments, all or those with status; leadID must be a lead.
func (c *Client) Adjustments(ctx context.Context, leadID, status string) ([]Adjustment, error) {
	q := url.Values{"user": {leadID}}
	if status != "" {
		q.Set("status", status)
	}
	var out []Adjustment
	return out, c.do(ctx, http.MethodGet, "/v1/counts/adjustments?"+q.Encode(), nil, &out)
}

// DecideAdjustment approves or rejects a pending adjustment; req.UserID must be a lead.
func (c *Client) DecideAdjustment(ctx context.Context, id string, req DecisionRequest) (Adjustment, error) {
	var out Adjustment
	return out, c.do(ctx, http.MethodPost, "/v1/counts/adjustments/"+url.PathEscape(id)+"/decision", req, &out)
}

// AuditQuery narrows the audit trail; empty fields match everything.
type AuditQuery struct {
	Location string
	TaskID   string
	RMA      string
}

// Audit reads the inventory audit trail; leadID must be a lead.
func (c *Client) Audit(ctx context.Context, leadID string, f AuditQuery) ([]AuditEntry, error) {
	q := url.Values{"user": {leadID}}
	for k, v := range map[string]string{"location": f.Location, "task": f.TaskID, "rma": f.RMA} {
		if v != "" {
			q.Set(k, v)
		}
	}
	var out []AuditEntry
	return out, c.do(ctx, http.MethodGet, "/v1/counts/audit?"+q.Encode(), nil, &out)
}

// CountKPIs reads the count KPIs; leadID must be a lead.
func (c *Client) CountKPIs(ctx context.Context, leadID string) (CountKPIs, error) {
	var out CountKPIs
	return out, c.do(ctx, http.MethodGet, "/v1/counts/kpis?"+url.Values{"user": {leadID}}.Encode(), nil, &out)
}

// ItemClasses lists every item's ABC class.
func (c *Client) ItemClasses(ctx context.Context) ([]ItemClass, error) {
	var out []ItemClass
	return out, c.do(ctx, http.MethodGet, "/v1/counts/classes", nil, &out)
}

// SetItemClass sets an item's ABC class by hand; req.UserID must be a lead.
func (c *Client) SetItemClass(ctx context.Context, req ClassRequest) (ItemClass, error) {
	var out ItemClass
	return out, c.do(ctx, http.MethodPost, "/v1/counts/classes", req, &out)
}

// Returns lists the open RMAs with their items and the locations, to receive offline.
func (c *Client) Returns(ctx context.Context) (ReturnsResponse, error) {
	var out ReturnsResponse
	return out, c.do(ctx, http.MethodGet, "/v1/returns", nil, &out)
}

// Return finds an RMA by number or return label, with its receipt once received.
func (c *Client) Return(ctx context.Context, key string) (ReturnDetail, error) {
	var out ReturnDetail
	return out, c.do(ctx, http.MethodGet, "/v1/returns/"+url.PathEscape(key), nil, &out)
}
