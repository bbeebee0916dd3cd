package api_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testCtx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestClientAgainstHub(t *testing.T) {
	h := hubtest.StartDemo(t)
	ctx := testCtx(t)
	anon := api.NewClient(h.URL()+"/", nil) // trailing slash tolerated, default http.Client
	require.NoError(t, anon.Health(ctx))

	reg, err := anon.Register(ctx, api.RegisterRequest{DeviceID: "gun-7", EnrollKey: "demo-enroll-key"})
	require.NoError(t, err)
	c := anon.WithToken(reg.Token)

	u, err := c.Login(ctx, "U1002")
	require.NoError(t, err)
	assert.Equal(t, "u1002", u.ID)

	claim, err := c.ClaimTask(ctx, u.ID)
	require.NoError(t, err)
	assert.Equal(t, u.ID, claim.Task.UserID)
	assert.NotEmpty(t, claim.Items)
	assert.NotEmpty(t, claim.Locations)

	line := claim.Task.Lines[0]
	var evs []domain.Event
	for i, d := range []domain.Draft{
		domain.NewDraft(domain.EventTaskStarted, time.Now(), u.ID, domain.TaskStarted{TaskID: claim.Task.ID, Tote: "T00042"}),
		domain.NewDraft(domain.EventLinePicked, time.Now(), u.ID, domain.PickLine{TaskID: claim.Task.ID, Line: line.Line, SKU: line.SKU, Picked: line.Qty}),
	} {
		e, err := d.Seal("gun-7", uint64(i+1), "ev-"+string(rune('a'+i)))
		require.NoError(t, err)
		evs = append(evs, e)
	}
	res, err := c.SendEvents(ctx, api.IngestRequest{DeviceID: "gun-7", Events: evs})
	require.NoError(t, err)
	assert.Equal(t, api.StatusApplied, res.Results[0].Status)
	assert.Equal(t, api.StatusApplied, res.Results[1].Status)

	it, err := c.Item(ctx, line.SKU)
	require.NoError(t, err)
	assert.Equal(t, line.SKU, it.SKU)
	it2, err := c.Item(ctx, it.GTIN[1:])
	require.NoError(t, err)
	assert.Equal(t, line.SKU, it2.SKU)

	locs, err := c.Locations(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, locs)
	loc, err := c.Location(ctx, line.Location)
	require.NoError(t, err)
	assert.Equal(t, line.Location, loc.Code)

	orders, err := c.Orders(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, orders)
	o, err := c.Order(ctx, claim.Order.ID)
	require.NoError(t, err)
	assert.Equal(t, domain.OrderPicking, o.Status)
	tasks, err := c.Tasks(ctx)
	require.NoError(t, err)
	assert.Len(t, tasks, len(orders))
	tk, err := c.Task(ctx, claim.Task.ID)
	require.NoError(t, err)
	assert.True(t, tk.Lines[0].Done)
	bos, err := c.Backorders(ctx)
	require.NoError(t, err)
	assert.Empty(t, bos)

	_, err = c.Login(ctx, "U0000")
	var apiErr *api.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, api.CodeUnknownBadge, apiErr.Code)
	assert.Equal(t, http.StatusNotFound, apiErr.Status)
	assert.False(t, api.Retryable(err))

	_, err = anon.Orders(ctx)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, api.CodeUnauthorized, apiErr.Code)
	assert.False(t, api.Retryable(err))
}

// fake serves one canned answer for every request.
func fake(t *testing.T, status int, contentType, body string) *api.Client {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return api.NewClient(srv.URL, srv.Client()).WithToken("tok")
}

func TestClientErrors(t *testing.T) {
	const jsonCT = "application/json"
	cases := []struct {
		name      string
		status    int
		ct, body  string
		code      string // want *api.Error with this code; "" means ErrBadResponse
		retryable bool
	}{
		{"500 json", 500, jsonCT, `{"error":{"code":"internal","message":"disk full"}}`, api.CodeInternal, true},
		{"503 html", 503, "text/html", "<html><body>Service Unavailable</body></html>", "", true},
		{"429", 429, jsonCT, `{"error":{"code":"rate_limited","message":"slow down"}}`, "rate_limited", true},
		{"408", 408, jsonCT, `{"error":{"code":"timeout","message":"too slow"}}`, "timeout", true},
		{"409 rule", 409, jsonCT, `{"error":{"code":"task_not_held","message":"no"}}`, api.CodeTaskNotHeld, false},
		{"400", 400, jsonCT, `{"error":{"code":"bad_request","message":"bad"}}`, api.CodeBadRequest, false},
		{"garbage 200", 200, jsonCT, "\x00\x01garbage", "", true},
		{"html 200 from a proxy", 200, "text/html", "<!DOCTYPE html><title>Login to Wi-Fi</title>", "", true},
		{"truncated 200", 200, jsonCT, `{"sku":"HX-4411","gtin":"0540`, "", true},
		{"error body without code", 404, jsonCT, `{"message":"not here"}`, "", true},
		{"two values", 200, jsonCT, `{"sku":"A"}{"sku":"B"}`, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := fake(t, tc.status, tc.ct, tc.body).Item(testCtx(t), "HX-4411")
			require.Error(t, err)
			var apiErr *api.Error
			if tc.code == "" {
				require.ErrorIs(t, err, api.ErrBadResponse)
				assert.False(t, errors.As(err, &apiErr))
				assert.Contains(t, err.Error(), fmt.Sprintf("status %d", tc.status))
			} else {
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tc.status, apiErr.Status)
				assert.Equal(t, tc.code, apiErr.Code)
				assert.NotEmpty(t, apiErr.Message)
			}
			assert.Equal(t, tc.retryable, api.Retryable(err))
		})
	}
}

func TestClientResultCountMismatch(t *testing.T) {
	c := fake(t, 200, "application/json", `{"results":[]}`)
	_, err := c.SendEvents(testCtx(t), api.IngestRequest{DeviceID: "d", Events: []domain.Event{{ID: "1"}}})
	require.ErrorIs(t, err, api.ErrBadResponse)
	assert.True(t, api.Retryable(err))
}

func TestClientTransportErrors(t *testing.T) {
	// A port that was just closed: connection refused.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	c := api.NewClient("http://"+addr, nil)
	err = c.Health(testCtx(t))
	require.Error(t, err)
	assert.False(t, errors.Is(err, api.ErrBadResponse))
	var apiErr *api.Error
	assert.False(t, errors.As(err, &apiErr))
	assert.True(t, api.Retryable(err), "%v", err)

	// A server that accepts and hangs up without answering.
	hang, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer hang.Close()
	go func() {
		for {
			conn, err := hang.Accept()
			if err != nil {
				return
			}
			conn.Close()
		}
	}()
	err = api.NewClient("http://"+hang.Addr().String(), nil).Health(testCtx(t))
	require.Error(t, err)
	assert.True(t, api.Retryable(err), "%v", err)
}

func TestClientContext(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	c := api.NewClient(srv.URL, srv.Client())

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := c.Health(ctx)
	require.ErrorIs(t, err, context.Canceled)
	assert.False(t, api.Retryable(err), "a cancelled call is not retried")

	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err = c.Health(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.True(t, api.Retryable(err), "a timeout may succeed later")
}

func TestRetryable(t *testing.T) {
	assert.False(t, api.Retryable(nil))
	assert.False(t, api.Retryable(errors.New("something else")))
	assert.True(t, api.Retryable(&api.Error{Status: 502}))
	assert.False(t, api.Retryable(&api.Error{Status: 404}))
	assert.True(t, api.Retryable(errors.Join(errors.New("x"), api.ErrBadResponse)))
}

// TestRetryPolicy: which HTTP answers are worth repeating.
func TestRetryPolicy(t *testing.T) {
	for status, want := range map[int]bool{
		400: false, 401: false, 403: false, 404: false, 409: false, 413: false, 422: false,
		408: true, 429: true, 500: true, 502: true, 503: true, 504: true,
	} {
		err := &api.Error{Status: status, Code: api.CodeInternal, Message: "x"}
		assert.Equal(t, want, api.Retryable(err), "status %d", status)
		assert.False(t, api.Unanswered(err), "status %d is an answer", status)
	}
	assert.True(t, api.Unanswered(fmt.Errorf("x: %w", api.ErrBadResponse)))
	assert.True(t, api.Unanswered(context.DeadlineExceeded))
	assert.False(t, api.Unanswered(context.Canceled))
}

// TestClientRetryAfter: a 429 or 503 carries the wait the hub asked for,
// in seconds or as a date; other statuses and bad values carry none.
func TestClientRetryAfter(t *testing.T) {
	future := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	for _, tc := range []struct {
		status int
		header string
		min    time.Duration
		max    time.Duration
	}{
		{429, "7", 7 * time.Second, 7 * time.Second},
		{503, "120", 2 * time.Minute, 2 * time.Minute},
		{503, future, 80 * time.Second, 90 * time.Second},
		{429, "soon", 0, 0},
		{429, "-3", 0, 0},
		{429, "Mon, 02 Jan 2006 15:04:05 GMT", 0, 0}, // in the past
		{500, "7", 0, 0},                             // only 429 and 503 mean it
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", tc.header)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(tc.status)
			io.WriteString(w, `{"error":{"code":"internal","message":"busy"}}`)
		}))
		err := api.NewClient(srv.URL, srv.Client()).Health(testCtx(t))
		srv.Close()
		require.Error(t, err)
		got := api.RetryAfter(err)
		assert.GreaterOrEqual(t, got, tc.min, "%d %q", tc.status, tc.header)
		assert.LessOrEqual(t, got, tc.max, "%d %q", tc.status, tc.header)
	}
}

// TestClusterBusyTotes: a cluster's busy totes are those held by orders
// outside the cluster, each once.
func TestClusterBusyTotes(t *testing.T) {
	r := api.ClusterResponse{Tasks: []api.ClaimResponse{
		{Task: domain.Task{OrderID: "SO-1"}, BusyTotes: []domain.ToteHold{{Tote: "T2", OrderID: "SO-2"}, {Tote: "T9", OrderID: "SO-9"}}},
		{Task: domain.Task{OrderID: "SO-2"}, BusyTotes: []domain.ToteHold{{Tote: "T9", OrderID: "SO-9"}, {Tote: "T1", OrderID: "SO-1"}}},
	}}
	assert.Equal(t, []domain.ToteHold{{Tote: "T9", OrderID: "SO-9"}}, r.BusyTotes())
}
