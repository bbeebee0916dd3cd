package hub_test

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exchange is one real HTTP request and response, as seen on the wire.
type exchange struct {
	method, path string
	reqBody      []byte
	status       int
	respBody     []byte
	contentType  string
}

// recorder is an http.RoundTripper that keeps every exchange.
type recorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen []exchange
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		var err error
		if reqBody, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	r.mu.Lock()
	r.seen = append(r.seen, exchange{req.Method, req.URL.Path, reqBody, resp.StatusCode, body, resp.Header.Get("Content-Type")})
	r.mu.Unlock()
	return resp, nil
}

// routeOf finds the route whose path template matches a concrete path.
func routeOf(method, path string) (hub.Route, bool) {
	for _, r := range hub.Routes() {
		if r.Method != method {
			continue
		}
		tmpl := "^" + regexp.MustCompile(`\\\{[a-z]+\\\}`).ReplaceAllString(regexp.QuoteMeta(r.Path), `[^/]+`) + "$"
		if regexp.MustCompile(tmpl).MatchString(path) {
			return r, true
		}
	}
	return hub.Route{}, false
}

func TestOpenAPIMatchesRouteTable(t *testing.T) {
	doc := loadOpenAPI(t)
	documented := map[string]string{} // "METHOD path" -> operationId
	paths, _ := doc.root["paths"].(map[string]any)
	for path, item := range paths {
		for method, op := range item.(map[string]any) {
			id, _ := op.(map[string]any)["operationId"].(string)
			documented[strings.ToUpper(method)+" "+path] = id
		}
	}
	served := map[string]string{}
	for _, r := range hub.Routes() {
		served[r.Method+" "+r.Path] = r.OperationID
		op, err := doc.operation(r.Method, r.Path)
		require.NoError(t, err)
		sec, hasSec := op["security"].([]any)
		if r.Public {
			assert.True(t, hasSec && len(sec) == 0, "%s %s needs no token: security must be []", r.Method, r.Path)
		} else {
			assert.True(t, !hasSec || len(sec) > 0, "%s %s needs the default bearer security, or more", r.Method, r.Path)
			responses, _ := op["responses"].(map[string]any)
			assert.Contains(t, responses, "401", "%s %s", r.Method, r.Path)
		}
		var params []string
		for _, p := range regexp.MustCompile(`\{([a-z]+)\}`).FindAllStringSubmatch(r.Path, -1) {
			params = append(params, p[1])
		}
		var docParams []string
		ps, _ := op["parameters"].([]any)
		for _, p := range ps {
			if pm := p.(map[string]any); pm["in"] == "path" {
				docParams = append(docParams, pm["name"].(string))
			}
		}
		assert.Equal(t, params, docParams, "%s %s path parameters", r.Method, r.Path)
	}
	assert.Equal(t, served, documented)
}

func TestOpenAPIConformance(t *testing.T) {
	doc := loadOpenAPI(t)
	f := newFixture(t, demoSite(t))
	rec := &recorder{next: f.srv.Client().Transport}
	hc := &http.Client{Transport: rec}
	anon := api.NewClient(f.srv.URL, hc)
	c := anon.WithToken(f.token)
	admin := anon.WithToken(f.Site.APIKey)
	cx := ctx(t)
	ignore := func(_ any, _ error) {}

	// Success and error cases of every operation.
	require.NoError(t, anon.Health(cx))
	ignore(anon.Register(cx, api.RegisterRequest{DeviceID: "gun-02", EnrollKey: "demo-enroll-key"}))
	ignore(anon.Register(cx, api.RegisterRequest{DeviceID: "gun-03", EnrollKey: "nope"}))
	ignore(anon.Register(cx, api.RegisterRequest{DeviceID: "", EnrollKey: "demo-enroll-key"}))
	ignore(c.Login(cx, "U1001"))
	ignore(c.Login(cx, "U4040"))
	ignore(anon.Login(cx, "U1001"))
	claim, err := c.ClaimTask(cx, "u1001")
	require.NoError(t, err)
	ignore(c.ClaimTask(cx, "ghost"))
	line := claim.Task.Lines[0]
	evs := []domain.Event{
		sealed(t, testDevice, 1, "c1", domain.EventTaskStarted, "u1001", domain.TaskStarted{TaskID: claim.Task.ID, Tote: "T00007"}),
		sealed(t, testDevice, 2, "c2", domain.EventLinePicked, "u1001", domain.PickLine{TaskID: claim.Task.ID, Line: line.Line, SKU: line.SKU, Location: line.Location, Tote: "T00007", Picked: 1, Lots: []domain.LotQty{{Lot: "L1", Qty: 1}}}),
		sealed(t, testDevice, 3, "c3", domain.EventLineShorted, "u1001", domain.PickLine{TaskID: claim.Task.ID, Line: line.Line, SKU: line.SKU, Short: line.Qty - 1, Reason: domain.ShortNotFound}),
		sealed(t, testDevice, 4, "c4", domain.EventLinePicked, "u1001", domain.PickLine{TaskID: claim.Task.ID, Line: line.Line, SKU: line.SKU, Picked: 1}),
		sealed(t, testDevice, 5, "c5", domain.EventTaskCompleted, "u1001", domain.TaskCompleted{TaskID: claim.Task.ID, Tote: "T00007"}),
	}
	ignore(c.SendEvents(cx, api.IngestRequest{DeviceID: testDevice, Events: evs}))
	ignore(c.SendEvents(cx, api.IngestRequest{DeviceID: testDevice, Events: evs}))
	gap := sealed(t, testDevice, 9, "c9", domain.EventLinePicked, "u1001", domain.PickLine{TaskID: claim.Task.ID, Line: line.Line, SKU: line.SKU, Picked: 1})
	ignore(c.SendEvents(cx, api.IngestRequest{DeviceID: testDevice, Events: []domain.Event{gap}}))
	ignore(c.SendEvents(cx, api.IngestRequest{DeviceID: testDevice, Events: []domain.Event{gap}, ResumeFrom: 9}))
	ignore(c.SendEvents(cx, api.IngestRequest{DeviceID: "gun-02", Events: evs}))
	for key := range map[string]bool{"HX-4411": true, "5401230041002": true, "TAPE48BRN": true, "NOPE": true} {
		ignore(c.Item(cx, key))
	}
	ignore(c.Locations(cx))
	ignore(c.Location(cx, "A-01-01"))
	ignore(c.Location(cx, "A-99-99"))
	ignore(c.Orders(cx))
	ignore(c.Order(cx, claim.Order.ID))
	ignore(c.Order(cx, "SO-0"))
	ignore(c.Tasks(cx))
	ignore(c.Task(cx, claim.Task.ID))
	ignore(c.Task(cx, "T-SO-0"))
	ignore(c.Backorders(cx))
	ignore(c.OrderBackorders(cx, claim.Order.ID))
	ignore(admin.SetOrderPriority(cx, "SO-10001", 9))
	ignore(admin.SetOrderPriority(cx, "SO-0", 9))
	ignore(admin.ReassignTask(cx, "T-SO-10002", "u1002"))
	ignore(admin.ReassignTask(cx, "T-SO-10002", "ghost"))
	ignore(admin.ReassignTask(cx, claim.Task.ID, "u1002")) // done: conflict
	ignore(admin.CancelOrder(cx, "SO-10002", "customer called"))
	ignore(admin.CancelOrder(cx, claim.Order.ID, "too late")) // picked: conflict
	ignore(admin.CancelOrder(cx, "SO-0", "x"))
	ignore(admin.Register(cx, api.RegisterRequest{DeviceID: "gun-03"}))
	require.NoError(t, admin.RevokeDevice(cx, "gun-03"))
	require.Error(t, admin.RevokeDevice(cx, "gun-03"))
	ignore(c.ClaimCluster(cx, "u1002")) // holds T-SO-10002 on its own: work_held
	ignore(c.ClaimCluster(cx, "u1003"))
	ignore(c.ClaimTask(cx, "u1003")) // holds a cluster: work_held
	ignore(c.ClaimCluster(cx, "ghost"))
	ignore(c.Changes(cx, 0, 0))
	ignore(c.Changes(cx, 1, 1))
	for _, q := range []string{"after=x", "limit=0"} {
		req, err := http.NewRequestWithContext(cx, http.MethodGet, f.srv.URL+"/v1/changes?"+q, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+f.token)
		resp, err := hc.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
	}
	exerciseInventory(t, c, cx, 10)
	ignore(admin.KPIs(cx, time.Time{}, time.Time{}))
	ignore(admin.KPIs(cx, time.Now(), time.Now().Add(-time.Hour))) // reversed: bad_request
	packConformance(t, c, claim)
	dockConformance(t, c, admin, claim.Order.ID)
	// Everything that needs a token, without one.
	for _, r := range hub.Routes() {
		if !r.Public {
			req, err := http.NewRequestWithContext(cx, r.Method, f.srv.URL+strings.NewReplacer("{key}", "x", "{code}", "x", "{id}", "x", "{order}", "x").Replace(r.Path), strings.NewReader("{}"))
			require.NoError(t, err)
			resp, err := hc.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
		}
	}
	// Malformed and oversized bodies.
	for _, path := range []string{"/v1/devices", "/v1/login", "/v1/tasks/claim", "/v1/clusters/claim", "/v1/events", "/v1/orders/SO-10001/cancel", "/v1/orders/SO-10001/priority", "/v1/tasks/T-SO-10001/reassign",
		"/v1/counts/tasks", "/v1/counts/claim", "/v1/counts/classes", "/v1/counts/adjustments/ADJ-000001/decision", "/v1/sscc-blocks"} {
		for _, body := range []string{"{", strings.Repeat(" ", hub.MaxBodyBytes+1)} {
			req, err := http.NewRequestWithContext(cx, http.MethodPost, f.srv.URL+path, strings.NewReader(body))
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer "+f.token)
			resp, err := hc.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
		}
	}

	// Every exchange's bodies conform; every operation was seen succeeding and failing.
	outcomes := map[string]map[int]bool{}
	for _, x := range rec.seen {
		r, ok := routeOf(x.method, x.path)
		require.True(t, ok, "%s %s is not a route", x.method, x.path)
		if outcomes[r.OperationID] == nil {
			outcomes[r.OperationID] = map[int]bool{}
		}
		outcomes[r.OperationID][x.status] = true
		if mt, _, _ := mime.ParseMediaType(x.contentType); mt != "application/json" {
			assert.NoError(t, doc.documents(r.Method, r.Path, x.status, mt), "%s %s -> %d", x.method, x.path, x.status)
			continue
		}
		schema, err := doc.responseSchema(r.Method, r.Path, x.status)
		require.NoError(t, err)
		assert.Empty(t, doc.validateJSON(schema, x.respBody), "%s %s -> %d: %s", x.method, x.path, x.status, x.respBody)
		if x.status == http.StatusOK && len(x.reqBody) > 0 {
			reqSchema, err := doc.requestSchema(r.Method, r.Path)
			require.NoError(t, err)
			assert.Empty(t, doc.validateJSON(reqSchema, x.reqBody), "request %s %s: %s", x.method, x.path, x.reqBody)
		}
	}
	for _, r := range hub.Routes() {
		got := outcomes[r.OperationID]
		assert.True(t, got[http.StatusOK], "%s never succeeded", r.OperationID)
		if r.OperationID != "health" {
			var errs []int
			for s := range got {
				if s >= 400 {
					errs = append(errs, s)
				}
			}
			assert.NotEmpty(t, errs, "%s never failed", r.OperationID)
		}
	}
	t.Log(summarize(outcomes))
}

func summarize(outcomes map[string]map[int]bool) string {
	var lines []string
	for op, st := range outcomes {
		var codes []int
		for s := range st {
			codes = append(codes, s)
		}
		sort.Ints(codes)
		lines = append(lines, fmt.Sprintf("%s %v", op, codes))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestOpenAPIUnknownRoute(t *testing.T) {
	doc := loadOpenAPI(t)
	f := newFixture(t, demoSite(t))
	resp, err := f.srv.Client().Get(f.srv.URL + "/v2/whatever")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Empty(t, doc.validateJSON(map[string]any{"$ref": "#/components/schemas/ErrorBody"}, body))
}

// packConformance calls every pack station route, succeeding and failing,
// and sends every pack event type, after the conformance test's picks
// (seq 1 to 5, and 9) put claim's order in tote T00007.
func packConformance(t *testing.T, c *api.Client, claim api.ClaimResponse) {
	cx := ctx(t)
	ignore := func(_ any, _ error) {}
	ignore(c.CartonTypes(cx))
	ignore(c.PackWork(cx, "T00007", ""))
	ignore(c.PackWork(cx, "", claim.Order.ID))
	ignore(c.PackWork(cx, "T99999", ""))
	ignore(c.PackWork(cx, "", ""))
	block, err := c.ReserveSSCCs(cx, 5)
	require.NoError(t, err)
	ignore(c.ReserveSSCCs(cx, 0))
	ignore(c.SSCCBlocks(cx))
	sscc := func(i int) string {
		s, err := block.SSCC(i)
		require.NoError(t, err)
		return s
	}
	line := claim.Task.Lines[0]
	content := []domain.CartonContent{{Line: line.Line, SKU: line.SKU, Qty: 1, Lots: []domain.LotQty{{Lot: "L1", Qty: 1}}}}
	carton := func(s string, n, of int) domain.PackCarton {
		return domain.PackCarton{OrderID: claim.Order.ID, SSCC: s, CartonType: "CT-S1", Dims: domain.Dims{LengthMM: 250, WidthMM: 180, HeightMM: 100},
			Contents: content, WeightGrams: 1500, ExpectedGrams: 1480, N: n, Of: of}
	}
	var short []domain.PackShort
	for _, l := range claim.Order.Lines {
		n := l.Qty
		if l.Line == line.Line {
			n-- // the one unit packed
		}
		if n > 0 {
			short = append(short, domain.PackShort{OrderID: claim.Order.ID, Line: l.Line, SKU: l.SKU, Short: n, Backorder: !claim.Order.ShipComplete})
		}
	}
	id, u := claim.Order.ID, "u1001"
	evs := []domain.Event{
		sealed(t, testDevice, 10, "p1", domain.EventPackStarted, u, domain.PackStarted{OrderID: id, Tote: "T00007"}),
		sealed(t, testDevice, 11, "p2", domain.EventCartonAudit, u, domain.CartonAudit{OrderID: id, CartonType: "CT-S1", Contents: content, WeightGrams: 9000, ExpectedGrams: 1480, AllowedGrams: 74, Decision: domain.AuditReweigh}),
		sealed(t, testDevice, 12, "p3", domain.EventCartonClosed, u, carton(sscc(0), 0, 0)),
		sealed(t, testDevice, 13, "p4", domain.EventCartonUnpacked, u, domain.CartonUnpacked{OrderID: id, SSCC: sscc(0), Contents: content}),
		sealed(t, testDevice, 14, "p5", domain.EventCartonClosed, u, carton(sscc(0), 0, 0)), // void: rejected
		sealed(t, testDevice, 15, "p6", domain.EventCartonClosed, u, carton(sscc(1), 0, 0)),
		sealed(t, testDevice, 16, "p7", domain.EventPackHeld, u, domain.PackHold{OrderID: id, Reason: domain.HoldDamaged, Cartons: []domain.PackCarton{carton(sscc(1), 0, 0)}, Short: short}),
		sealed(t, testDevice, 17, "p8", domain.EventPackStarted, u, domain.PackStarted{OrderID: id}),
		sealed(t, testDevice, 18, "p9", domain.EventPackShorted, u, domain.PackShort{OrderID: id, Line: line.Line, SKU: line.SKU, Short: 1, Backorder: true}),
		sealed(t, testDevice, 19, "p10", domain.EventCartonClosed, u, carton(sscc(2), 0, 0)),
		sealed(t, testDevice, 20, "p11", domain.EventShipConfirmed, u, domain.ShipConfirm{OrderID: id, Tote: "T00007", Cartons: []domain.PackCarton{carton(sscc(2), 1, 1)}, Short: short, Partial: len(short) > 0,
			Invoice: &domain.InvoiceRef{Number: "CI-" + id, Date: "2026-03-02", Shipper: domain.Address{Name: "Demo DC", Country: "NL"}}}),
	}
	ignore(c.SendEvents(cx, api.IngestRequest{DeviceID: testDevice, Events: evs}))
	ignore(c.Shipments(cx))
	ignore(c.Shipment(cx, id))
	ignore(c.Shipment(cx, "SO-0"))
	ignore(c.PackWork(cx, "", id))
}
