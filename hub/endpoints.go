package hub

import (
	"context"
	"net/http"
	"strconv"

	"github.com/rfterm/rfterm/api"
)

// The route handlers: decode, call the store, return the answer.

type healthResponse struct {
	Status string `json:"status"`
}

func handleHealth(*Store, *http.Request, caller) (any, error) {
	return healthResponse{Status: "ok"}, nil
}

func handleRegister(s *Store, r *http.Request, c caller) (any, error) {
	var req api.RegisterRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	if c.kind == byIntegration {
		return s.ReplaceDevice(r.Context(), req)
	}
	return c.limits.limited(limitKeys(req.DeviceID, c.addr), func() (any, error) { return s.Register(r.Context(), req) })
}

func handleLogin(s *Store, r *http.Request, c caller) (any, error) {
	var req api.LoginRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	return c.limits.limited(limitKeys(c.deviceID, c.addr), func() (any, error) {
		u, err := s.Login(r.Context(), req.Badge)
		return api.LoginResponse{User: u}, err
	})
}

// claimHandler serves a claim for the user in an api.ClaimRequest, made
// through the calling device: a pick task (Store.ClaimThrough) or a cluster
// of them (Store.ClaimClusterThrough).
func claimHandler[T any](claim func(s *Store, ctx context.Context, deviceID, userID string) (T, error)) func(*Store, *http.Request, caller) (any, error) {
	return func(s *Store, r *http.Request, c caller) (any, error) {
		var req api.ClaimRequest
		if err := decodeBody(r, &req); err != nil {
			return nil, err
		}
		return claim(s, r.Context(), c.deviceID, req.UserID)
	}
}

func handleIngest(s *Store, r *http.Request, c caller) (any, error) {
	req, err := decodeIngestBody(r)
	if err != nil {
		return nil, err
	}
	res, err := s.Ingest(r.Context(), c.deviceID, req)
	for _, r := range res.Results {
		if r.Status == api.StatusRejected {
			c.log.Warn("event rejected", "device", c.deviceID, "event", r.ID, "seq", r.Seq, "code", r.Code, "message", r.Message)
		}
	}
	return res, err
}

func handleItem(s *Store, r *http.Request, _ caller) (any, error) {
	return s.Item(r.Context(), r.PathValue("key"))
}

func handleLocations(s *Store, r *http.Request, _ caller) (any, error) {
	return s.Locations(r.Context())
}

func handleLocation(s *Store, r *http.Request, _ caller) (any, error) {
	return s.Location(r.Context(), r.PathValue("code"))
}

func handleOrders(s *Store, r *http.Request, _ caller) (any, error) { return s.Orders(r.Context()) }

func handleOrder(s *Store, r *http.Request, _ caller) (any, error) {
	return s.Order(r.Context(), r.PathValue("id"))
}

func handleTasks(s *Store, r *http.Request, _ caller) (any, error) { return s.Tasks(r.Context()) }

func handleTask(s *Store, r *http.Request, _ caller) (any, error) {
	return s.Task(r.Context(), r.PathValue("id"))
}

func handleBackorders(s *Store, r *http.Request, _ caller) (any, error) {
	return s.Backorders(r.Context(), r.URL.Query().Get("order"))
}

func handleChanges(s *Store, r *http.Request, _ caller) (any, error) {
	q := r.URL.Query()
	var after uint64
	limit := MaxChangesPage
	if v := q.Get("after"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return nil, badRequest("after must be a change sequence number, not %q", v)
		}
		after = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxChangesPage {
			return nil, badRequest("limit must be 1 to %d, not %q", MaxChangesPage, v)
		}
		limit = n
	}
	return s.Changes(r.Context(), after, limit)
}

func handleCancelOrder(s *Store, r *http.Request, c caller) (any, error) {
	var req api.CancelOrderRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	o, err := s.CancelOrder(r.Context(), r.PathValue("id"), req.Reason)
	if err == nil {
		c.log.Info("order cancelled", "order", o.ID, "by_device", c.deviceID, "reason", req.Reason)
	}
	return o, err
}

func handlePriority(s *Store, r *http.Request, _ caller) (any, error) {
	var req struct {
		Priority *int `json:"priority"`
	}
	if err := decodeStrictBody(r, &req); err != nil {
		return nil, err
	}
	if req.Priority == nil {
		return nil, badRequest("priority is required")
	}
	return s.SetOrderPriority(r.Context(), r.PathValue("id"), *req.Priority)
}

func handleReassign(s *Store, r *http.Request, c caller) (any, error) {
	var req api.ReassignTaskRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	t, err := s.ReassignTask(r.Context(), r.PathValue("id"), req.UserID)
	if err == nil {
		c.log.Info("task reassigned", "task", t.ID, "to", req.UserID, "by_device", c.deviceID)
	}
	return t, err
}
