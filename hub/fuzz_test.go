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
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub"
	"github.com/rfterm/rfterm/hub/hubtest"
)

// FuzzIngestRequest posts arbitrary bodies to POST /v1/events on a real store.
// Whatever arrives, the hub answers 200 with one result per event or a 4xx
// JSON error body: never a 500, never a panic.
func FuzzIngestRequest(f *testing.F) {
	st, reg := fuzzStore(f)
	if _, err := st.Claim(f.Context(), "u1001"); err != nil {
		f.Fatal(err)
	}
	block, err := st.ReserveSSCCs(f.Context(), testDevice, 3, time.Now())
	if err != nil {
		f.Fatal(err)
	}
	sscc, err := block.SSCC(0)
	if err != nil {
		f.Fatal(err)
	}
	h := hub.NewHandler(st, slog.New(slog.NewTextHandler(io.Discard, nil)))

	seed := func(evs ...domain.Event) {
		raw, err := json.Marshal(api.IngestRequest{DeviceID: testDevice, Events: evs})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	seed(sealed(f, testDevice, 1, "f1", domain.EventTaskStarted, "u1001", domain.TaskStarted{TaskID: task3, Tote: "T00001"}),
		sealed(f, testDevice, 2, "f2", domain.EventLinePicked, "u1001", pick(5, "MK-0100", 2)),
		sealed(f, testDevice, 3, "f3", domain.EventLineShorted, "u1001", short(5, "MK-0100", 1, domain.ShortQty)),
		sealed(f, testDevice, 4, "f4", domain.EventTaskCompleted, "u1001", domain.TaskCompleted{TaskID: task3}))
	carton := closed(sscc, cc(5, "MK-0100", 2))
	seed(sealed(f, testDevice, 5, "f5", domain.EventPackStarted, "u1001", domain.PackStarted{OrderID: order3, Tote: "T00001"}),
		sealed(f, testDevice, 6, "f6", domain.EventCartonClosed, "u1001", carton),
		sealed(f, testDevice, 7, "f7", domain.EventPackShorted, "u1001", domain.PackShort{OrderID: order3, Line: 4, SKU: "SF-0310", Short: 8, Backorder: true}),
		sealed(f, testDevice, 8, "f8", domain.EventCartonAudit, "u1001", domain.CartonAudit{OrderID: order3, Decision: domain.AuditRecount}),
		sealed(f, testDevice, 9, "f9", domain.EventCartonUnpacked, "u1001", domain.CartonUnpacked{OrderID: order3, SSCC: sscc}),
		sealed(f, testDevice, 10, "f10", domain.EventPackHeld, "u1001", domain.PackHold{OrderID: order3, Reason: domain.HoldOther}),
		sealed(f, testDevice, 11, "f11", domain.EventShipConfirmed, "u1001", domain.ShipConfirm{OrderID: order3, Cartons: []domain.PackCarton{numbered(carton, 1, 1)}}),
		sealed(f, testDevice, 12, "f12", domain.EventCartonStaged, "u1001", domain.CartonStaged{SSCC: sscc, OrderID: order3, Lane: "STG-01"}),
		sealed(f, testDevice, 13, "f13", domain.EventCartonLoaded, "u1001", domain.CartonLoaded{LoadID: "LD-0001", SSCC: sscc, OrderID: order3}),
		sealed(f, testDevice, 14, "f14", domain.EventLoadClosed, "u1001", domain.LoadClosed{LoadID: "LD-0001", Seal: "SL-1",
			Short: []domain.ShortCarton{{SSCC: sscc, OrderID: order3}}, Override: &domain.LoadOverride{LeadID: "u1003", Reason: "not_found"}}))
	seed()
	f.Add([]byte(`{"device_id":"gun-01","events":[{"id":"x","device_id":"gun-01","type":"pick.line_picked","payload":null}]}`))
	f.Add([]byte(`{"device_id":"gun-01","events":[{"id":"","device_id":"gun-01","seq":-1}]}`))
	f.Add([]byte(`{"device_id":"other","events":[]}`))
	f.Add([]byte(`{"events":[{"payload":{"task_id":"T-SO-10003","line":1e99}}]}`))
	f.Add([]byte(`[`))
	f.Add([]byte{})

	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/v1/events", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+reg.Token)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		switch w.Code {
		case http.StatusOK:
			var in api.IngestRequest
			if err := json.Unmarshal(body, &in); err != nil {
				t.Fatalf("200 for a body that does not decode: %v", err)
			}
			var out api.IngestResponse
			if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
				t.Fatalf("200 with a bad body: %v", err)
			}
			if len(out.Results) != len(in.Events) {
				t.Fatalf("%d results for %d events", len(out.Results), len(in.Events))
			}
			for i, r := range out.Results {
				switch r.Status {
				case api.StatusApplied, api.StatusDuplicate, api.StatusDeferred:
				case api.StatusRejected:
					if r.Code == "" || r.Message == "" {
						t.Fatalf("result %d rejected without code or message: %+v", i, r)
					}
				default:
					t.Fatalf("result %d: status %q", i, r.Status)
				}
			}
		case http.StatusBadRequest, http.StatusForbidden, http.StatusRequestEntityTooLarge:
			var eb api.ErrorBody
			if err := json.Unmarshal(w.Body.Bytes(), &eb); err != nil || eb.Error.Code == "" || eb.Error.Message == "" {
				t.Fatalf("%d with a bad error body %q: %v", w.Code, w.Body.String(), err)
			}
		default:
			t.Fatalf("status %d: %s", w.Code, w.Body.String())
		}
	})
}

// fuzzStore is a real store with the demo site and testDevice enrolled,
// closed when the fuzz test ends.
func fuzzStore(f *testing.F) (*hub.Store, api.RegisterResponse) {
	site := demoSite(f)
	st := hubtest.NewStore(f)
	if err := st.Seed(f.Context(), site); err != nil {
		f.Fatal(err)
	}
	reg, err := st.Register(f.Context(), api.RegisterRequest{DeviceID: testDevice, EnrollKey: site.EnrollKey})
	if err != nil {
		f.Fatal(err)
	}
	return st, reg
}
