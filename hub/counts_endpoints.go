package hub

import (
	"net/http"
	"time"

	"github.com/rfterm/rfterm/api"
)

// The route handlers of cycle counts and returns. Lead calls act for the
// lead of the caller's lead session; a user_id (body) or "user" (query)
// naming anyone else is refused.

func handleCreateCounts(s *Store, r *http.Request, c caller) (any, error) {
	var req api.CreateCountsRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	var err error
	if req.UserID, err = c.actingLead(req.UserID); err != nil {
		return nil, err
	}
	return s.CreateCounts(r.Context(), c.deviceID, req, time.Now())
}

func handleCountTasks(s *Store, r *http.Request, _ caller) (any, error) {
	return s.CountTasks(r.Context())
}

func handleCountTask(s *Store, r *http.Request, _ caller) (any, error) {
	return s.CountTask(r.Context(), r.PathValue("id"))
}

func handleClaimCount(s *Store, r *http.Request, c caller) (any, error) {
	var req api.ClaimRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	return s.ClaimCountThrough(r.Context(), c.deviceID, req.UserID)
}

func handleAdjustments(s *Store, r *http.Request, c caller) (any, error) {
	q := r.URL.Query()
	lead, err := c.actingLead(q.Get("user"))
	if err != nil {
		return nil, err
	}
	return s.Adjustments(r.Context(), lead, q.Get("status"))
}

func handleDecideAdjustment(s *Store, r *http.Request, c caller) (any, error) {
	var req api.DecisionRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	var err error
	if req.UserID, err = c.actingLead(req.UserID); err != nil {
		return nil, err
	}
	return s.DecideAdjustment(r.Context(), c.deviceID, r.PathValue("id"), req, time.Now())
}

func handleAudit(s *Store, r *http.Request, c caller) (any, error) {
	q := r.URL.Query()
	lead, err := c.actingLead(q.Get("user"))
	if err != nil {
		return nil, err
	}
	return s.Audit(r.Context(), lead, AuditFilter{Location: q.Get("location"), TaskID: q.Get("task"), RMA: q.Get("rma")})
}

func handleCountKPIs(s *Store, r *http.Request, c caller) (any, error) {
	lead, err := c.actingLead(r.URL.Query().Get("user"))
	if err != nil {
		return nil, err
	}
	return s.CountKPIs(r.Context(), lead)
}

func handleItemClasses(s *Store, r *http.Request, _ caller) (any, error) {
	return s.ItemClasses(r.Context(), time.Now())
}

func handleSetItemClass(s *Store, r *http.Request, c caller) (any, error) {
	var req api.ClassRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	var err error
	if req.UserID, err = c.actingLead(req.UserID); err != nil {
		return nil, err
	}
	return s.SetItemClass(r.Context(), req, time.Now())
}

func handleReturns(s *Store, r *http.Request, _ caller) (any, error) { return s.Returns(r.Context()) }

func handleReturn(s *Store, r *http.Request, _ caller) (any, error) {
	return s.Return(r.Context(), r.PathValue("id"))
}

// inventoryRoutes are the endpoints of cycle counts and returns.
func inventoryRoutes() []route {
	return []route{
		{Route{http.MethodPost, "/v1/counts/tasks", "createCountTasks", false}, handleCreateCounts},
		{Route{http.MethodGet, "/v1/counts/tasks", "listCountTasks", false}, handleCountTasks},
		{Route{http.MethodGet, "/v1/counts/tasks/{id}", "getCountTask", false}, handleCountTask},
		{Route{http.MethodPost, "/v1/counts/claim", "claimCountTask", false}, handleClaimCount},
		{Route{http.MethodGet, "/v1/counts/adjustments", "listAdjustments", false}, handleAdjustments},
		{Route{http.MethodPost, "/v1/counts/adjustments/{id}/decision", "decideAdjustment", false}, handleDecideAdjustment},
		{Route{http.MethodGet, "/v1/counts/audit", "countAudit", false}, handleAudit},
		{Route{http.MethodGet, "/v1/counts/kpis", "countKPIs", false}, handleCountKPIs},
		{Route{http.MethodGet, "/v1/counts/classes", "listItemClasses", false}, handleItemClasses},
		{Route{http.MethodPost, "/v1/counts/classes", "setItemClass", false}, handleSetItemClass},
		{Route{http.MethodGet, "/v1/returns", "listReturns", false}, handleReturns},
		{Route{http.MethodGet, "/v1/returns/{id}", "getReturn", false}, handleReturn},
	}
}
