package hub

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rfterm/rfterm/api"
)

// MaxBodyBytes bounds a request body.
const MaxBodyBytes = 4 << 20

// caller is who makes a request (see accessOf): the device behind the
// bearer token, with the lead of its lead session; the integration behind
// the API key; or nobody, for the public routes.
type caller struct {
	kind     access
	deviceID string
	site     string // the site of the credential: every call acts for it
	lead     string // the lead of a lead session
	addr     string // the remote address, for rate limits
	log      *slog.Logger
	limits   *limiter
}

// Route describes one endpoint of the hub's HTTP API. Path uses net/http
// ServeMux pattern syntax, which is also the OpenAPI path syntax.
type Route struct {
	Method      string
	Path        string
	OperationID string // as in api/openapi.json
	Public      bool   // no credentials needed (see accessOf for who may call each route)
}

// route is one row of the route table: an endpoint and its handler.
type route struct {
	Route
	handle func(s *Store, r *http.Request, c caller) (any, error)
}

// Routes lists the endpoints NewHandler serves.
func Routes() []Route {
	var out []Route
	for _, r := range routes() {
		out = append(out, r.Route)
	}
	return out
}

// routes is the hub's whole HTTP surface; the conformance test checks it
// against api/openapi.json.
func routes() []route {
	return append(append([]route{
		{Route{http.MethodGet, "/v1/healthz", "health", true}, handleHealth},
		{Route{http.MethodPost, "/v1/devices", "registerDevice", true}, handleRegister},
		{Route{http.MethodPost, "/v1/login", "login", false}, handleLogin},
		{Route{http.MethodPost, "/v1/tasks/claim", "claimTask", false}, claimHandler((*Store).ClaimThrough)},
		{Route{http.MethodPost, "/v1/clusters/claim", "claimCluster", false}, claimHandler((*Store).ClaimClusterThrough)},
		{Route{http.MethodPost, "/v1/events", "ingestEvents", false}, handleIngest},
		{Route{http.MethodGet, "/v1/items/{key}", "getItem", false}, handleItem},
		{Route{http.MethodGet, "/v1/locations", "listLocations", false}, handleLocations},
		{Route{http.MethodGet, "/v1/locations/{code}", "getLocation", false}, handleLocation},
		{Route{http.MethodGet, "/v1/orders", "listOrders", false}, handleOrders},
		{Route{http.MethodGet, "/v1/orders/{id}", "getOrder", false}, handleOrder},
		{Route{http.MethodGet, "/v1/tasks", "listTasks", false}, handleTasks},
		{Route{http.MethodGet, "/v1/tasks/{id}", "getTask", false}, handleTask},
		{Route{http.MethodGet, "/v1/backorders", "listBackorders", false}, handleBackorders},
		{Route{http.MethodGet, "/v1/changes", "listChanges", false}, handleChanges},
		{Route{http.MethodPost, "/v1/orders/{id}/cancel", "cancelOrder", false}, handleCancelOrder},
		{Route{http.MethodPost, "/v1/orders/{id}/priority", "setOrderPriority", false}, handlePriority},
		{Route{http.MethodPost, "/v1/tasks/{id}/reassign", "reassignTask", false}, handleReassign},
		{Route{http.MethodGet, "/v1/pack", "getPackWork", false}, handlePackWork},
		{Route{http.MethodPost, "/v1/sscc-blocks", "reserveSSCCBlock", false}, handleReserveSSCCs},
		{Route{http.MethodGet, "/v1/sscc-blocks", "listSSCCBlocks", false}, handleSSCCBlocks},
		{Route{http.MethodGet, "/v1/shipments", "listShipments", false}, handleShipments},
		{Route{http.MethodGet, "/v1/shipments/{order}", "getShipment", false}, handleShipment},
		{Route{http.MethodGet, "/v1/carton-types", "listCartonTypes", false}, handleCartonTypes},
		{Route{http.MethodGet, "/v1/kpis", "kpis", false}, handleKPIs},
	}, inventoryRoutes()...), append(trustRoutes(), dockRoutes()...)...)
}

// NewHandler serves the hub's HTTP API from store, logging each request to log.
func NewHandler(store *Store, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	limits := newLimiter()
	for _, rt := range routes() {
		mux.Handle(rt.Method+" "+rt.Path, &endpoint{store: store, log: log, route: rt, limits: limits})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, log, r, notFound("no route %s %s", r.Method, r.URL.Path))
	})
	return mux
}

// endpoint runs one route: authentication, the handler, the JSON answer, a log line.
type endpoint struct {
	store  *Store
	log    *slog.Logger
	route  route
	limits *limiter
}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	c := caller{log: e.log, limits: e.limits}
	out, err := func() (any, error) {
		if err := e.authenticate(r, &c); err != nil {
			return nil, err
		}
		if c.kind != 0 { // a public call has no site; enrolment finds it from the enrol key
			r = r.WithContext(WithSite(r.Context(), c.site))
		}
		return e.route.handle(e.store, r, c)
	}()
	status := http.StatusOK
	if doc, isDoc := out.(document); err == nil && isDoc { // hub/dock_docs.go: a document as it is
		w.Header().Set("Content-Type", doc.contentType)
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(doc.body)
	} else if err != nil {
		status = writeError(w, e.log, r, err)
	} else {
		writeJSON(w, status, out)
	}
	level := slog.LevelInfo
	if e.route.OperationID == "health" && status == http.StatusOK {
		level = slog.LevelDebug // devices probe every few seconds; only failures are news
	}
	e.log.LogAttrs(r.Context(), level, "request",
		slog.String("op", e.route.OperationID), slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Int("status", status), slog.String("site", c.site), slog.String("device", c.deviceID), slog.Duration("took", time.Since(start)))
}

func bearerToken(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// decodeBody reads one JSON value into v; bad JSON is a 400 bad_request and
// an oversized body a 413.
func decodeBody(r *http.Request, v any) error {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return cmp.Or(tooLarge(err), badRequest("read request body: %v", err))
	}
	if err := decodeRequest(raw, v); err != nil {
		return badRequest("request body: %v", err)
	}
	return nil
}

// tooLarge is the 413 for a body over MaxBodyBytes; nil for any other error.
func tooLarge(err error) error {
	var tooBig *http.MaxBytesError
	if !errors.As(err, &tooBig) {
		return nil
	}
	return &api.Error{Status: http.StatusRequestEntityTooLarge, Code: api.CodeBadRequest,
		Message: fmt.Sprintf("request body is over %d bytes", tooBig.Limit)}
}

// decodeRequest decodes exactly one JSON value.
func decodeRequest(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("not valid JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client sees a truncated body and treats it as a bad response
}

// writeError answers with the status and code of err's domain error (or of
// the edge's own api.Error); anything else is a 500 internal, logged with
// its detail and not shown to the client.
func writeError(w http.ResponseWriter, log *slog.Logger, r *http.Request, err error) int {
	e := APIError(err)
	if e == nil {
		log.ErrorContext(r.Context(), "internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		e = &api.Error{Status: http.StatusInternalServerError, Code: api.CodeInternal, Message: "internal error; see the hub log"}
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds())+1))
	}
	writeJSON(w, e.Status, api.ErrorBody{Error: api.ErrorDetail{Code: e.Code, Message: e.Message}})
	return e.Status
}

// APIError is err as the hub's HTTP API answers it: a domain *Error with
// the status its kind is answered with, or the edge's own *api.Error as it
// is; nil for anything else (an internal error, a 500).
func APIError(err error) *api.Error {
	var e *api.Error
	if errors.As(err, &e) {
		return e
	}
	var d *Error
	if !errors.As(err, &d) {
		return nil
	}
	return &api.Error{Status: httpStatus(d.Kind), Code: d.Code, Message: d.Message}
}

// httpStatus is the HTTP status each kind of domain error is answered with.
func httpStatus(k Kind) int {
	switch k {
	case KindInvalid:
		return http.StatusBadRequest
	case KindUnauthorized:
		return http.StatusUnauthorized
	case KindForbidden:
		return http.StatusForbidden
	case KindNotFound:
		return http.StatusNotFound
	case KindConflict:
		return http.StatusConflict
	case KindRejected:
		return http.StatusUnprocessableEntity
	}
	return http.StatusInternalServerError
}
