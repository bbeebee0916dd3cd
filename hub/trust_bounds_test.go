package hub_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

// requireRejected checks one result is a rejection with code.
func requireRejected(t *testing.T, r api.EventResult, code, what string) {
	t.Helper()
	require.Equal(t, api.StatusRejected, r.Status, "%s: %s", what, r.Message)
	require.Equal(t, code, r.Code, "%s: %s", what, r.Message)
	require.NotEmpty(t, r.Message, what)
}

// Finding 1: quantities beyond the site's bound are refused before any
// arithmetic; a short carries no picked units.
func TestQuantitiesAreBoundedAtIngest(t *testing.T) {
	f := newFixture(t, demoSite(t))
	f.claim(ana)
	f.send(f.ev("start", domain.EventTaskStarted, ana, domain.TaskStarted{TaskID: task3, Tote: "T00001"}))

	r := f.send(f.ev("huge", domain.EventLinePicked, ana, pick(5, "MK-0100", math.MaxInt64)))[0]
	requireRejected(t, r, api.CodeBadRequest, "picked 2^63-1")
	r = f.send(f.ev("past-bound", domain.EventLinePicked, ana, pick(5, "MK-0100", hub.DefaultMaxEventQty+1)))[0]
	requireRejected(t, r, api.CodeBadRequest, "picked over the bound")
	r = f.send(f.ev("lot-huge", domain.EventLinePicked, ana, domain.PickLine{TaskID: task3, Line: 5, SKU: "MK-0100", Picked: 1,
		Lots: []domain.LotQty{{Lot: "L1", Qty: math.MaxInt64}}}))[0]
	requireRejected(t, r, api.CodeBadRequest, "lot quantity 2^63-1")
	shortPicked := short(5, "MK-0100", 1, domain.ShortQty)
	shortPicked.Picked = 2
	r = f.send(f.ev("short-picked", domain.EventLineShorted, ana, shortPicked))[0]
	requireRejected(t, r, api.CodeBadRequest, "a short with picked units")
	line := f.task(task3).Lines[0]
	assert.Equal(t, 0, line.Picked, "nothing was picked")
	assert.Equal(t, 0, line.Short)

	// Returns: a restocked unit with a huge quantity neither credits nor zeroes stock.
	unit := domain.ReturnedUnit{Line: 0, SKU: "CH-1800", Qty: math.MaxInt64, Condition: domain.CondNew, Disposition: domain.DispRestock, Location: "B-02-02"}
	r = f.send(f.ev("ret-huge", domain.EventReturnReceived, ana, domain.ReturnReceived{RMA: "RMA-50001", Units: []domain.ReturnedUnit{unit}}))[0]
	requireRejected(t, r, api.CodeBadRequest, "returned 2^63-1")
	d, err := f.store.Return(t.Context(), "RMA-50001")
	require.NoError(t, err)
	assert.Nil(t, d.Receipt, "nothing received")

	// Counts: a huge counted quantity is refused.
	task := f.createCounts(api.CreateCountsRequest{UserID: lead, By: domain.CountByLocations, Locations: []string{"A-01-01"}})
	f.claimCount(tom)
	r = f.count("count-huge", tom, task.ID, "A-01-01", domain.CountLine{SKU: "HX-4411", Qty: math.MaxInt64})
	requireRejected(t, r, api.CodeBadRequest, "counted 2^63-1")

	// Pack: a huge short or carton quantity is refused.
	r = f.send(f.ev("pack-start", domain.EventPackStarted, ana, domain.PackStarted{OrderID: order3}))[0]
	require.Equal(t, api.StatusApplied, r.Status, r.Message)
	r = f.send(f.ev("pack-short", domain.EventPackShorted, ana, domain.PackShort{OrderID: order3, Line: 5, SKU: "MK-0100", Short: math.MaxInt64}))[0]
	requireRejected(t, r, api.CodeBadRequest, "pack short 2^63-1")
	r = f.send(f.ev("carton-huge", domain.EventCartonClosed, ana, closed("000000000000000000", cc(5, "MK-0100", math.MaxInt64))))[0]
	requireRejected(t, r, api.CodeBadRequest, "carton quantity 2^63-1")
}

// Finding 1: the bound is the site's to set.
func TestMaxEventQtyIsSiteConfigurable(t *testing.T) {
	site := demoSite(t)
	site.MaxEventQty = 10
	f := newFixture(t, site)
	f.claim(ana)
	f.send(f.ev("start", domain.EventTaskStarted, ana, domain.TaskStarted{TaskID: task3, Tote: "T00001"}))
	r := f.send(f.ev("eleven", domain.EventLinePicked, ana, pick(5, "MK-0100", 11)))[0]
	requireRejected(t, r, api.CodeBadRequest, "11 over a bound of 10")
	assert.Contains(t, r.Message, "10")
	r = f.send(f.ev("ten", domain.EventLinePicked, ana, pick(5, "MK-0100", 10)))[0]
	assert.Equal(t, api.StatusApplied, r.Status, r.Message)
}

// Finding 4 (second half): a text field longer than bbolt's key limit is a
// rejection with a reason, not a 500 retried forever.
func TestLongFieldIsRejectedNotA500(t *testing.T) {
	f := newFixture(t, demoSite(t))
	f.claim(ana)
	tote := strings.Repeat("T", 32<<10)
	r := f.send(f.ev("long-tote", domain.EventTaskStarted, ana, domain.TaskStarted{TaskID: task3, Tote: tote}))[0]
	requireRejected(t, r, api.CodeBadRequest, "a 32 KiB tote")
	assert.Contains(t, r.Message, "bytes")
	r = f.send(f.ev("long-user", domain.EventTaskStarted, strings.Repeat("u", 40<<10), domain.TaskStarted{TaskID: task3, Tote: "T00001"}))[0]
	requireRejected(t, r, api.CodeBadRequest, "a 40 KiB user id")
	// The queue moves on: the next event is taken.
	r = f.send(f.ev("start", domain.EventTaskStarted, ana, domain.TaskStarted{TaskID: task3, Tote: "T00001"}))[0]
	assert.Equal(t, api.StatusApplied, r.Status, r.Message)
}

// Finding 6: the events body is read as a stream and the count limit holds
// before the hub allocates for every event in it.
func TestEventsBodyIsStreamedWithTheCountLimit(t *testing.T) {
	f := newFixture(t, demoSite(t))
	h := hub.NewHandler(f.store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var body bytes.Buffer
	body.WriteString(`{"device_id":"gun-01","events":[`)
	for body.Len() < hub.MaxBodyBytes-16 {
		body.WriteString(`{},`)
	}
	body.WriteString(`{}]}`)
	req := httptest.NewRequest(http.MethodPost, "/v1/events", bytes.NewReader(body.Bytes()))
	req.Header.Set("Authorization", "Bearer "+f.token)
	w := httptest.NewRecorder()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	h.ServeHTTP(w, req)
	runtime.ReadMemStats(&after)
	require.Equal(t, http.StatusBadRequest, w.Code, w.Body.String())
	assert.Contains(t, w.Body.String(), "1000 events")
	allocated := after.TotalAlloc - before.TotalAlloc
	assert.Less(t, allocated, uint64(64<<20), "the hub allocated %d MiB for a refused batch", allocated>>20)
}

// Finding 11: resume_from near 2^64 is refused instead of wrapping.
func TestResumeFromIsBounded(t *testing.T) {
	f := newFixture(t, demoSite(t))
	_, err := f.client.SendEvents(ctx(t), api.IngestRequest{DeviceID: testDevice, ResumeFrom: math.MaxUint64})
	requireAPIError(t, err, http.StatusBadRequest, api.CodeBadRequest)
	res, err := f.client.SendEvents(ctx(t), api.IngestRequest{DeviceID: testDevice, ResumeFrom: 5})
	require.NoError(t, err)
	assert.Equal(t, uint64(5), res.NextSeq, "a sane resume_from still moves the sequence")
}

// Finding 11: the priority endpoint takes exactly its schema.
func TestPriorityBodyFollowsItsSchema(t *testing.T) {
	f := newFixture(t, demoSite(t))
	for name, body := range map[string]string{
		"empty object":  `{}`,
		"unknown field": `{"priority":1,"urgent":true}`,
		"wrong type":    `{"priority":"high"}`,
	} {
		status, eb := f.adminPost("/v1/orders/"+order3+"/priority", body)
		assert.Equal(t, http.StatusBadRequest, status, name)
		assert.Equal(t, api.CodeBadRequest, eb.Error.Code, name)
	}
	assert.NotEqual(t, 7, f.order(order3).Priority, "priority unchanged")
	status, _ := f.adminPost("/v1/orders/"+order3+"/priority", `{"priority":7}`)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, 7, f.order(order3).Priority)
}

// Finding 11: an event id repeated with other contents is a conflict the
// device learns about; the first contents stand.
func TestEventIDReusedWithOtherContentsIsAConflict(t *testing.T) {
	f := newFixture(t, demoSite(t))
	f.claim(ana)
	f.send(f.ev("start", domain.EventTaskStarted, ana, domain.TaskStarted{TaskID: task3, Tote: "T00001"}))
	first := f.ev("e1", domain.EventLinePicked, ana, pick(5, "MK-0100", 1))
	require.Equal(t, api.StatusApplied, f.send(first)[0].Status)
	again := f.ev("e1", domain.EventLinePicked, ana, pick(5, "MK-0100", 3))
	r := f.send(again)[0]
	requireRejected(t, r, api.CodeEventConflict, "same id, other contents")
	assert.Equal(t, 1, f.task(task3).Lines[0].Picked, "the first contents stand")
	// The same contents again are still a duplicate.
	r = f.send(first)[0]
	assert.Equal(t, api.StatusDuplicate, r.Status, r.Message)
	// The queue moved on past the conflicting event.
	r = f.send(f.ev("e2", domain.EventLinePicked, ana, pick(5, "MK-0100", 1)))[0]
	assert.Equal(t, api.StatusApplied, r.Status, r.Message)
}

// adminPost sends a raw JSON body with the hub's admin credentials.
func (f *fixture) adminPost(path, body string) (int, api.ErrorBody) {
	f.t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, f.srv.URL+path, strings.NewReader(body))
	require.NoError(f.t, err)
	req.Header.Set("Authorization", "Bearer "+f.adminToken())
	req.Header.Set("Content-Type", "application/json")
	resp, err := f.srv.Client().Do(req)
	require.NoError(f.t, err)
	defer resp.Body.Close()
	var eb api.ErrorBody
	if resp.StatusCode >= 300 {
		require.NoError(f.t, json.NewDecoder(resp.Body).Decode(&eb))
	}
	return resp.StatusCode, eb
}

// adminToken is what the fixture presents for admin calls.
func (f *fixture) adminToken() string { return f.Site.APIKey }

// fastPINs are the options tests open stores with: the cheapest PIN hash.
func fastPINs() []hub.Option { return []hub.Option{hub.WithPINCost(bcrypt.MinCost)} }

// demoLeadPIN is the demo lead's (U1003, u1003) PIN, as in demodata and the README.
const demoLeadPIN = "4242"
