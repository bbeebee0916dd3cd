package hub_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/hub"
)

// bodyRoutes are the routes whose request body the hub decodes (besides
// /v1/events, fuzzed by FuzzIngestRequest), each with the credential that
// reaches its decoder and a valid body to start from.
var bodyRoutes = []struct {
	method, path, cred, seed string
}{
	{http.MethodPost, "/v1/devices", "none", `{"device_id":"gun-fz","enroll_key":"demo-enroll-key"}`},
	{http.MethodPost, "/v1/devices", "key", `{"device_id":"gun-01"}`},
	{http.MethodPost, "/v1/login", "device", `{"badge":"U1001"}`},
	{http.MethodPost, "/v1/lead/sessions", "device", `{"badge":"U1003","pin":"4242"}`},
	{http.MethodPost, "/v1/tasks/claim", "device", `{"user_id":"u1001"}`},
	{http.MethodPost, "/v1/orders/SO-10001/cancel", "key", `{"reason":"customer called"}`},
	{http.MethodPost, "/v1/orders/SO-10002/priority", "key", `{"priority":3}`},
	{http.MethodPost, "/v1/tasks/T-SO-10004/reassign", "key", `{"user_id":"u1002"}`},
	{http.MethodPost, "/v1/sscc-blocks", "device", `{"count":10}`},
	{http.MethodPost, "/v1/counts/tasks", "lead", `{"by":"locations","locations":["A-01-01"]}`},
	{http.MethodPost, "/v1/counts/claim", "device", `{"user_id":"u1002"}`},
	{http.MethodPost, "/v1/counts/adjustments/ADJ-000001/decision", "lead", `{"approve":true,"note":"ok"}`},
	{http.MethodPost, "/v1/counts/classes", "lead", `{"sku":"HX-4411","class":"A"}`},
	{http.MethodPost, "/v1/loads", "key", `{"carrier":"DEMO","service":"Ground","door":"DOOR-03","lane":"STG-03","scheduled_at":"2026-12-01T16:00:00Z","orders":["SO-10001"]}`},
}

// FuzzRequestBodies posts arbitrary bodies to every route that decodes one,
// with the credential that gets past authorization, on a real store.
// Whatever arrives, the hub answers 2xx JSON or a 4xx error body with a code
// and a message: never a 500, never a panic.
func FuzzRequestBodies(f *testing.F) {
	site := demoSite(f)
	st, reg := fuzzStore(f)
	ls, err := st.StartLeadSession(f.Context(), testDevice, api.LeadSessionRequest{Badge: "U1003", PIN: demoLeadPIN}, time.Now())
	if err != nil {
		f.Fatal(err)
	}
	h := hub.NewHandler(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for i, r := range bodyRoutes {
		f.Add(uint8(i), []byte(r.seed))
		f.Add(uint8(i), []byte(`{}`))
		f.Add(uint8(i), []byte(`{"unknown":[1,{"x":null}],"user_id":12}`))
	}
	f.Add(uint8(0), []byte(`[`))
	f.Add(uint8(3), []byte(`{"badge":"U1003","pin":"`+string(bytes.Repeat([]byte("9"), 100))+`"}`))

	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		r := bodyRoutes[int(which)%len(bodyRoutes)]
		req := httptest.NewRequest(r.method, r.path, bytes.NewReader(body))
		switch r.cred {
		case "device":
			req.Header.Set("Authorization", "Bearer "+reg.Token)
		case "lead":
			req.Header.Set("Authorization", "Bearer "+reg.Token)
			req.Header.Set(api.LeadSessionHeader, ls.Token)
		case "key":
			req.Header.Set("Authorization", "Bearer "+site.APIKey)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		switch {
		case w.Code >= 200 && w.Code < 300:
			if !json.Valid(w.Body.Bytes()) {
				t.Fatalf("%s %s: %d with a body that is not JSON: %q", r.method, r.path, w.Code, w.Body)
			}
		case w.Code >= 400 && w.Code < 500:
			var eb api.ErrorBody
			if err := json.Unmarshal(w.Body.Bytes(), &eb); err != nil || eb.Error.Code == "" || eb.Error.Message == "" {
				t.Fatalf("%s %s: %d with a bad error body %q: %v", r.method, r.path, w.Code, w.Body, err)
			}
		default:
			t.Fatalf("%s %s: status %d: %s", r.method, r.path, w.Code, w.Body)
		}
	})
}
