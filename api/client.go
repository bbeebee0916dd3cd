package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rfterm/rfterm/domain"
)

// maxResponseBytes bounds what the client reads of any response.
const maxResponseBytes = 16 << 20

// Client calls the order hub. It is safe for concurrent use; WithToken makes
// a copy, so one base client can serve many devices.
type Client struct {
	base        string
	hc          *http.Client
	token       string
	leadSession string // sent as LeadSessionHeader when set
}

// NewClient makes a client for the hub at baseURL (e.g. "http://hub:8080").
// A nil hc gets a client with timeouts suited to a flaky warehouse Wi-Fi link.
func NewClient(baseURL string, hc *http.Client) *Client {
	if hc == nil {
		hc = defaultHTTPClient()
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), hc: hc}
}

// defaultHTTPClient has timeouts suited to a flaky warehouse Wi-Fi link.
func defaultHTTPClient() *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: 20 * time.Second,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConnsPerHost:   4,
		},
	}
}

// WithToken returns a copy of the client that authenticates with a device token.
func (c *Client) WithToken(token string) *Client {
	cp := *c
	cp.token = token
	return &cp
}

// Register enrols a device and returns its token.
func (c *Client) Register(ctx context.Context, req RegisterRequest) (RegisterResponse, error) {
	var out RegisterResponse
	return out, c.do(ctx, http.MethodPost, "/v1/devices", req, &out)
}

// Login returns the user behind a badge.
func (c *Client) Login(ctx context.Context, badge string) (domain.User, error) {
	var out LoginResponse
	err := c.do(ctx, http.MethodPost, "/v1/login", LoginRequest{Badge: badge}, &out)
	return out.User, err
}

// ClaimTask claims the next pick task for a user, or returns the one they hold.
func (c *Client) ClaimTask(ctx context.Context, userID string) (ClaimResponse, error) {
	var out ClaimResponse
	return out, c.do(ctx, http.MethodPost, "/v1/tasks/claim", ClaimRequest{UserID: userID}, &out)
}

// ClaimCluster claims a cluster of small pick tasks for a user (cluster
// picking), or returns the cluster they hold.
func (c *Client) ClaimCluster(ctx context.Context, userID string) (ClusterResponse, error) {
	var out ClusterResponse
	return out, c.do(ctx, http.MethodPost, "/v1/clusters/claim", ClaimRequest{UserID: userID}, &out)
}

// SendEvents delivers a batch of events; the response has one result per event.
func (c *Client) SendEvents(ctx context.Context, req IngestRequest) (IngestResponse, error) {
	var out IngestResponse
	if err := c.do(ctx, http.MethodPost, "/v1/events", req, &out); err != nil {
		return out, err
	}
	if len(out.Results) != len(req.Events) {
		return out, fmt.Errorf("%w: %d results for %d events", ErrBadResponse, len(out.Results), len(req.Events))
	}
	return out, nil
}

// Item looks an item up by SKU, GTIN (8, 12, 13 or 14 digits) or extra barcode.
func (c *Client) Item(ctx context.Context, key string) (domain.Item, error) {
	var out domain.Item
	return out, c.do(ctx, http.MethodGet, "/v1/items/"+url.PathEscape(key), nil, &out)
}

// Locations lists every location in walk order.
func (c *Client) Locations(ctx context.Context) ([]domain.Location, error) {
	var out []domain.Location
	return out, c.do(ctx, http.MethodGet, "/v1/locations", nil, &out)
}

// Location returns one location by code.
func (c *Client) Location(ctx context.Context, code string) (domain.Location, error) {
	var out domain.Location
	return out, c.do(ctx, http.MethodGet, "/v1/locations/"+url.PathEscape(code), nil, &out)
}

// Orders lists every order.
func (c *Client) Orders(ctx context.Context) ([]domain.Order, error) {
	var out []domain.Order
	return out, c.do(ctx, http.MethodGet, "/v1/orders", nil, &out)
}

// Order returns one order.
func (c *Client) Order(ctx context.Context, id string) (domain.Order, error) {
	var out domain.Order
	return out, c.do(ctx, http.MethodGet, "/v1/orders/"+url.PathEscape(id), nil, &out)
}

// Tasks lists every pick task.
func (c *Client) Tasks(ctx context.Context) ([]domain.Task, error) {
	var out []domain.Task
	return out, c.do(ctx, http.MethodGet, "/v1/tasks", nil, &out)
}

// Task returns one pick task.
func (c *Client) Task(ctx context.Context, id string) (domain.Task, error) {
	var out domain.Task
	return out, c.do(ctx, http.MethodGet, "/v1/tasks/"+url.PathEscape(id), nil, &out)
}

// Backorders lists every backorder recorded by short picks.
func (c *Client) Backorders(ctx context.Context) ([]domain.Backorder, error) {
	return c.backorders(ctx, "")
}

// OrderBackorders lists the backorders of one order.
func (c *Client) OrderBackorders(ctx context.Context, orderID string) ([]domain.Backorder, error) {
	return c.backorders(ctx, orderID)
}

func (c *Client) backorders(ctx context.Context, orderID string) ([]domain.Backorder, error) {
	path := "/v1/backorders"
	if orderID != "" {
		path += "?" + url.Values{"order": {orderID}}.Encode()
	}
	var out []domain.Backorder
	return out, c.do(ctx, http.MethodGet, path, nil, &out)
}

// Health checks that the hub answers.
func (c *Client) Health(ctx context.Context) error {
	var out struct {
		Status string `json:"status"`
	}
	if err := c.do(ctx, http.MethodGet, "/v1/healthz", nil, &out); err != nil {
		return err
	}
	if out.Status != "ok" {
		return fmt.Errorf("%w: health status %q", ErrBadResponse, out.Status)
	}
	return nil
}

// do makes one call: in (if not nil) is sent as JSON, a 2xx body is decoded
// into out (a *[]byte takes it as it is), anything else becomes an *Error or
// an ErrBadResponse.
func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		raw, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("%s %s: encode request: %w", method, path, err)
		}
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if _, doc := out.(*[]byte); !doc {
		req.Header.Set("Accept", "application/json")
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.leadSession != "" {
		req.Header.Set(LeadSessionHeader, c.leadSession)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%s %s: %w", method, path, ctx.Err())
		}
		return &transportError{op: method + " " + path, err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%s %s: %w", method, path, ctx.Err())
		}
		return &transportError{op: method + " " + path + ": read response", err: err}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		var eb ErrorBody
		if decodeStrict(raw, &eb) != nil || eb.Error.Code == "" {
			return badResponse(method, path, resp.StatusCode, raw)
		}
		e := &Error{Status: resp.StatusCode, Code: eb.Error.Code, Message: eb.Error.Message}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
		}
		return e
	}
	if doc, ok := out.(*[]byte); ok { // a document (a PDF, a label, an EDI interchange): as it came
		*doc = raw
		return nil
	}
	if err := decodeStrict(raw, out); err != nil {
		return badResponse(method, path, resp.StatusCode, raw)
	}
	return nil
}

// decodeStrict decodes exactly one JSON value.
func decodeStrict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("data after the JSON value")
	}
	return nil
}

func badResponse(method, path string, status int, raw []byte) error {
	const max = 120
	excerpt := string(raw)
	if len(excerpt) > max {
		excerpt = excerpt[:max] + "..."
	}
	return fmt.Errorf("%s %s: %w: status %d, body %q", method, path, ErrBadResponse, status, excerpt)
}

// Changes returns up to limit changes to tasks after the cursor (0: from the
// start; limit 0: the hub's page size).
func (c *Client) Changes(ctx context.Context, after uint64, limit int) (ChangesResponse, error) {
	q := url.Values{"after": {strconv.FormatUint(after, 10)}}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var out ChangesResponse
	return out, c.do(ctx, http.MethodGet, "/v1/changes?"+q.Encode(), nil, &out)
}

// CancelOrder cancels an order and its unfinished tasks.
func (c *Client) CancelOrder(ctx context.Context, orderID, reason string) (domain.Order, error) {
	var out domain.Order
	return out, c.do(ctx, http.MethodPost, "/v1/orders/"+url.PathEscape(orderID)+"/cancel", CancelOrderRequest{Reason: reason}, &out)
}

// SetOrderPriority changes an order's priority (lower is more urgent).
func (c *Client) SetOrderPriority(ctx context.Context, orderID string, priority int) (domain.Order, error) {
	var out domain.Order
	return out, c.do(ctx, http.MethodPost, "/v1/orders/"+url.PathEscape(orderID)+"/priority", PriorityRequest{Priority: priority}, &out)
}

// ReassignTask gives a task to another user ("" puts it back in the pool).
func (c *Client) ReassignTask(ctx context.Context, taskID, userID string) (domain.Task, error) {
	var out domain.Task
	return out, c.do(ctx, http.MethodPost, "/v1/tasks/"+url.PathEscape(taskID)+"/reassign", ReassignTaskRequest{UserID: userID}, &out)
}
