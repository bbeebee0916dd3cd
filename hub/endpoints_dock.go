package hub

import (
	"net/http"
	"time"

	"github.com/rfterm/rfterm/api"
)

// The dock's routes: loads, the dock's cache, its exceptions, and the
// papers of a closed load (hub/dock_docs.go).
func dockRoutes() []route {
	return append([]route{
		{Route{http.MethodPost, "/v1/loads", "createLoad", false}, handleCreateLoad},
		{Route{http.MethodGet, "/v1/loads", "listLoads", false}, handleLoads},
		{Route{http.MethodGet, "/v1/loads/{id}", "getLoad", false}, handleLoad},
		{Route{http.MethodGet, "/v1/dock", "getDock", false}, handleDock},
		{Route{http.MethodGet, "/v1/exceptions", "listExceptions", false}, handleExceptions},
	}, docRoutes()...)
}

func handleCreateLoad(s *Store, r *http.Request, c caller) (any, error) {
	var req api.CreateLoadRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	v, err := s.CreateLoad(r.Context(), req, time.Now())
	if err == nil {
		c.log.Info("load created", "load", v.ID, "carrier", v.Carrier, "service", v.Service, "orders", len(v.Orders), "by_device", c.deviceID)
	}
	return v, err
}

func handleLoads(s *Store, r *http.Request, _ caller) (any, error) {
	return s.Loads(r.Context(), r.URL.Query().Get("status"))
}

func handleLoad(s *Store, r *http.Request, _ caller) (any, error) {
	return s.Load(r.Context(), r.PathValue("id"))
}

func handleDock(s *Store, r *http.Request, _ caller) (any, error) {
	return s.Dock(r.Context(), time.Now())
}

func handleExceptions(s *Store, r *http.Request, _ caller) (any, error) {
	return s.Exceptions(r.Context())
}
