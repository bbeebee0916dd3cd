package hub_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub"
	"github.com/rfterm/rfterm/hub/backend/backendtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The kinds of caller of the authorization table.
const (
	asNone    = "none"         // no credentials
	asWrong   = "wrong token"  // a token the hub never issued
	asDevice  = "device"       // gun-01's token
	asAnother = "other device" // gun-02's token
	asLead    = "lead session" // gun-01's token and a lead session opened there
	asAPIKey  = "API key"      // the integration API key
)

var callerKinds = []string{asNone, asWrong, asDevice, asAnother, asLead, asAPIKey}

// Who may call what (the README's authorization table): every route, the
// callers admitted. Everyone else is refused with 401 or 403 (or 409
// device_enrolled for enrolling an enrolled id).
var authorizationTable = map[string][]string{
	"health":             {asNone, asWrong, asDevice, asAnother, asLead, asAPIKey},
	"registerDevice":     {asAPIKey}, // gun-01 is enrolled: enrolling it again
	"login":              {asDevice, asAnother, asLead},
	"claimTask":          {asDevice, asAnother, asLead},
	"claimCluster":       {asDevice, asAnother, asLead},
	"ingestEvents":       {asDevice, asLead}, // a batch of gun-01's
	"getItem":            {asDevice, asAnother, asLead, asAPIKey},
	"listLocations":      {asDevice, asAnother, asLead, asAPIKey},
	"getLocation":        {asDevice, asAnother, asLead, asAPIKey},
	"listOrders":         {asDevice, asAnother, asLead, asAPIKey},
	"getOrder":           {asDevice, asAnother, asLead, asAPIKey},
	"listTasks":          {asDevice, asAnother, asLead, asAPIKey},
	"getTask":            {asDevice, asAnother, asLead, asAPIKey},
	"listBackorders":     {asDevice, asAnother, asLead, asAPIKey},
	"listChanges":        {asDevice, asAnother, asLead, asAPIKey},
	"cancelOrder":        {asAPIKey},
	"setOrderPriority":   {asAPIKey},
	"reassignTask":       {asAPIKey},
	"getPackWork":        {asDevice, asAnother, asLead, asAPIKey},
	"reserveSSCCBlock":   {asDevice, asAnother, asLead},
	"listSSCCBlocks":     {asDevice, asAnother, asLead, asAPIKey},
	"listShipments":      {asDevice, asAnother, asLead, asAPIKey},
	"getShipment":        {asDevice, asAnother, asLead, asAPIKey},
	"listCartonTypes":    {asDevice, asAnother, asLead, asAPIKey},
	"createCountTasks":   {asLead},
	"listCountTasks":     {asDevice, asAnother, asLead, asAPIKey},
	"getCountTask":       {asDevice, asAnother, asLead, asAPIKey},
	"claimCountTask":     {asDevice, asAnother, asLead},
	"listAdjustments":    {asLead},
	"decideAdjustment":   {asLead},
	"countAudit":         {asLead},
	"countKPIs":          {asLead},
	"kpis":               {asLead, asAPIKey},
	"listItemClasses":    {asDevice, asAnother, asLead, asAPIKey},
	"setItemClass":       {asLead, asAPIKey},
	"listReturns":        {asDevice, asAnother, asLead, asAPIKey},
	"getReturn":          {asDevice, asAnother, asLead, asAPIKey},
	"createLeadSession":  {asDevice, asAnother, asLead},
	"revokeDevice":       {asAPIKey},
	"createLoad":         {asLead, asAPIKey},
	"listLoads":          {asDevice, asAnother, asLead, asAPIKey},
	"getLoad":            {asDevice, asAnother, asLead, asAPIKey},
	"getDock":            {asDevice, asAnother, asLead, asAPIKey},
	"listExceptions":     {asLead, asAPIKey},
	"getBillOfLading":    {asDevice, asAnother, asLead, asAPIKey},
	"getManifest":        {asDevice, asAnother, asLead, asAPIKey},
	"getCarrierManifest": {asDevice, asAnother, asLead, asAPIKey},
	"getASN":             {asDevice, asAnother, asLead, asAPIKey},
}

// authRequest is a request each route is called with: path values that
// exist (or mutations of nothing, so the order of calls does not matter).
func authRequest(r hub.Route) (path, body string) {
	path = strings.NewReplacer("{key}", "HX-4411", "{code}", "A-01-01", "{order}", "SO-10001", "{carrier}", "DEMO").Replace(r.Path)
	switch r.OperationID {
	case "getOrder":
		path = strings.Replace(path, "{id}", "SO-10001", 1)
	case "getTask":
		path = strings.Replace(path, "{id}", "T-SO-10001", 1)
	case "getReturn":
		path = strings.Replace(path, "{id}", "RMA-50001", 1)
	case "getCountTask", "decideAdjustment":
		path = strings.Replace(path, "{id}", "C-999999", 1)
	}
	path = strings.Replace(path, "{id}", "NOBODY-0", 1)
	bodies := map[string]string{
		"registerDevice":    `{"device_id":"gun-03","enroll_key":"demo-enroll-key"}`,
		"login":             `{"badge":"U1001"}`,
		"claimTask":         `{"user_id":"u1002"}`,
		"claimCluster":      `{"user_id":"u1001"}`,
		"ingestEvents":      `{"device_id":"gun-01","events":[]}`,
		"cancelOrder":       `{"reason":"x"}`,
		"setOrderPriority":  `{"priority":1}`,
		"reassignTask":      `{"user_id":""}`,
		"reserveSSCCBlock":  `{"count":1}`,
		"createCountTasks":  `{"by":"locations","locations":["A-01-01"]}`,
		"claimCountTask":    `{"user_id":"u1002"}`,
		"decideAdjustment":  `{"approve":false}`,
		"setItemClass":      `{"sku":"NOPE","class":"A"}`,
		"createLeadSession": `{"badge":"U1003","pin":"4242"}`,
	}
	if r.Method == http.MethodPost {
		body = bodies[r.OperationID]
		if body == "" {
			body = "{}"
		}
	}
	return path, body
}

// denied reports whether an answer refuses the caller (rather than the
// request's contents).
func denied(status int, code string) bool {
	switch code {
	case api.CodeUnauthorized, api.CodeDeviceNotEnrolled, api.CodeLeadSessionRequired, api.CodeDeviceEnrolled:
		return true
	case api.CodeForbidden:
		return status == http.StatusForbidden
	}
	return false
}

// Finding 9: every endpoint with every kind of caller.
func TestAuthorizationTable(t *testing.T) {
	f := newFixture(t, demoSite(t))
	otherToken := f.Register("gun-02")
	f.Register("gun-03") // enrolled: registerDevice enrols it again
	ls, err := f.client.LeadLogin(ctx(t), "U1003", demoLeadPIN)
	require.NoError(t, err)
	headers := map[string]map[string]string{
		asNone:    {},
		asWrong:   {"Authorization": "Bearer 0123456789abcdef"},
		asDevice:  {"Authorization": "Bearer " + f.token},
		asAnother: {"Authorization": "Bearer " + otherToken},
		asLead:    {"Authorization": "Bearer " + f.token, api.LeadSessionHeader: ls.Token},
		asAPIKey:  {"Authorization": "Bearer " + f.Site.APIKey},
	}
	seen := map[string]bool{}
	for _, r := range hub.Routes() {
		admitted, ok := authorizationTable[r.OperationID]
		require.True(t, ok, "%s is not in the authorization table", r.OperationID)
		seen[r.OperationID] = true
		for _, kind := range callerKinds {
			path, body := authRequest(r)
			req, err := http.NewRequestWithContext(ctx(t), r.Method, f.srv.URL+path, strings.NewReader(body))
			require.NoError(t, err)
			for k, v := range headers[kind] {
				req.Header.Set(k, v)
			}
			resp, err := f.srv.Client().Do(req)
			require.NoError(t, err)
			var eb api.ErrorBody
			if resp.StatusCode >= 300 {
				require.NoError(t, json.NewDecoder(resp.Body).Decode(&eb), "%s %s", r.OperationID, kind)
			}
			resp.Body.Close()
			want := "denied"
			if slices.Contains(admitted, kind) {
				want = "admitted"
			}
			got := "admitted"
			if denied(resp.StatusCode, eb.Error.Code) {
				got = "denied"
			}
			assert.Equal(t, want, got, "%s by %s: %d %s %s", r.OperationID, kind, resp.StatusCode, eb.Error.Code, eb.Error.Message)
		}
	}
	assert.Len(t, seen, len(authorizationTable), "the table lists routes the hub does not serve")
}

// Finding 9: acting as the lead by naming a user id takes a lead session
// of this device, opened with the lead's badge and PIN.
func TestLeadCallsNeedALeadSession(t *testing.T) {
	f := newFixture(t, demoSite(t))
	_, err := f.client.CountKPIs(ctx(t), "u1003")
	requireAPIError(t, err, http.StatusUnauthorized, api.CodeLeadSessionRequired)
	assert.True(t, api.NeedsLeadSession(err))
	_, err = f.client.Audit(ctx(t), "u1003", api.AuditQuery{})
	requireAPIError(t, err, http.StatusUnauthorized, api.CodeLeadSessionRequired)

	_, err = f.client.LeadLogin(ctx(t), "U1003", "0000")
	requireAPIError(t, err, http.StatusUnauthorized, api.CodeBadPIN)
	_, err = f.client.LeadLogin(ctx(t), "U1001", demoLeadPIN)
	requireAPIError(t, err, http.StatusUnauthorized, api.CodeBadPIN)
	ls, err := f.client.LeadLogin(ctx(t), " U1003 ", demoLeadPIN)
	require.NoError(t, err)
	assert.Equal(t, "u1003", ls.User.ID)
	assert.True(t, ls.Expires.After(ls.Expires.Add(-hub.LeadSessionTTL)))

	as := f.client.WithLeadSession(ls.Token)
	_, err = as.CountKPIs(ctx(t), "u1003")
	require.NoError(t, err)
	_, err = as.CountKPIs(ctx(t), "")
	require.NoError(t, err, "no user named: the session's lead")
	_, err = as.CountKPIs(ctx(t), "u1001")
	requireAPIError(t, err, http.StatusForbidden, api.CodeForbidden)

	// The session is the device's: another device's token with it is refused.
	stolen := f.anon.WithToken(f.Register("gun-02")).WithLeadSession(ls.Token)
	_, err = stolen.CountKPIs(ctx(t), "u1003")
	requireAPIError(t, err, http.StatusUnauthorized, api.CodeLeadSessionRequired)

	// The PIN and the API key are stored hashed, never as given.
	raw := backendtest.Contents(t, f.DB)
	assert.NotContains(t, string(raw), demoLeadPIN)
	assert.NotContains(t, string(raw), f.Site.APIKey)
}

// Finding 9: another device replaying a device's pick events under its own
// id is refused: the task is held through the device that claimed it.
func TestReplayFromAnotherDeviceIsRejected(t *testing.T) {
	f := newFixture(t, demoSite(t))
	f.claim(ana)
	evs := []domain.Event{
		f.ev("s1", domain.EventTaskStarted, ana, domain.TaskStarted{TaskID: task3, Tote: "T00001"}),
		f.ev("p1", domain.EventLinePicked, ana, pick(5, "MK-0100", 2)),
	}
	for _, r := range f.send(evs...) {
		require.Equal(t, api.StatusApplied, r.Status, r.Message)
	}
	other := f.anon.WithToken(f.Register("gun-02"))
	var replay []domain.Event
	for i, ev := range evs {
		ev.DeviceID, ev.Seq = "gun-02", uint64(i+1)
		replay = append(replay, ev)
	}
	res, err := other.SendEvents(ctx(t), api.IngestRequest{DeviceID: "gun-02", Events: replay})
	require.NoError(t, err)
	for _, r := range res.Results {
		requireRejected(t, r, api.CodeTaskNotHeld, "a replay from gun-02")
	}
	assert.Equal(t, 2, f.task(task3).Lines[0].Picked, "applied once")

	// The same user claiming through another device moves the task there.
	moved, err := other.ClaimTask(ctx(t), ana)
	require.NoError(t, err)
	require.Equal(t, task3, moved.Task.ID)
	r := f.send(f.ev("p2", domain.EventLinePicked, ana, pick(5, "MK-0100", 1)))[0]
	requireRejected(t, r, api.CodeTaskNotHeld, "the old device after the claim moved")
}

// Finding 9: re-enrolling an enrolled id takes the API key or a revoke; a
// revoked device is told it is not enrolled, which is final.
func TestRevokeAndReEnrol(t *testing.T) {
	f := newFixture(t, demoSite(t))
	_, err := f.anon.Register(ctx(t), api.RegisterRequest{DeviceID: testDevice, EnrollKey: f.Site.EnrollKey})
	requireAPIError(t, err, http.StatusConflict, api.CodeDeviceEnrolled)
	_, err = f.client.Orders(ctx(t))
	require.NoError(t, err, "a failed takeover leaves the real device working")

	require.Error(t, f.client.RevokeDevice(ctx(t), testDevice), "a device may not revoke")
	require.NoError(t, f.admin().RevokeDevice(ctx(t), testDevice))
	_, err = f.client.Orders(ctx(t))
	requireAPIError(t, err, http.StatusUnauthorized, api.CodeDeviceNotEnrolled)
	require.ErrorIs(t, err, api.ErrNotEnrolled)
	assert.False(t, api.Retryable(err))
	assert.False(t, api.Unanswered(err), "an answer, not OFFLINE")

	reg, err := f.anon.Register(ctx(t), api.RegisterRequest{DeviceID: testDevice, EnrollKey: f.Site.EnrollKey})
	require.NoError(t, err, "after a revoke the enrol key works again")
	_, err = f.anon.WithToken(reg.Token).Orders(ctx(t))
	require.NoError(t, err)
}

// Finding 9: enrol keys, badges and PINs cannot be guessed at speed.
func TestEnrolAndLoginAttemptsAreRateLimited(t *testing.T) {
	f := newFixture(t, demoSite(t))
	for i := 0; i < hub.MaxFailuresPerDevice; i++ {
		_, err := f.anon.Register(ctx(t), api.RegisterRequest{DeviceID: "gun-09", EnrollKey: fmt.Sprint("guess-", i)})
		requireAPIError(t, err, http.StatusUnauthorized, api.CodeUnauthorized)
	}
	_, err := f.anon.Register(ctx(t), api.RegisterRequest{DeviceID: "gun-09", EnrollKey: f.Site.EnrollKey})
	requireAPIError(t, err, http.StatusTooManyRequests, api.CodeTooManyAttempts)
	assert.Positive(t, api.RetryAfter(err), "Retry-After says how long")

	for i := 0; i < hub.MaxFailuresPerDevice; i++ {
		_, err := f.client.Login(ctx(t), fmt.Sprintf("U%04d", 2000+i))
		requireAPIError(t, err, http.StatusNotFound, api.CodeUnknownBadge)
	}
	_, err = f.client.Login(ctx(t), "U1001")
	requireAPIError(t, err, http.StatusTooManyRequests, api.CodeTooManyAttempts)
	_, err = f.client.LeadLogin(ctx(t), "U1003", demoLeadPIN)
	requireAPIError(t, err, http.StatusTooManyRequests, api.CodeTooManyAttempts)

	// Per address: guesses spread over many devices, each under its own
	// limit, stop too.
	limited := false
	for d := 0; d < hub.MaxFailuresPerAddress && !limited; d++ {
		other := f.anon.WithToken(f.Register(fmt.Sprintf("gun-1%02d", d)))
		for i := 0; i < 2 && !limited; i++ {
			_, err := other.LeadLogin(ctx(t), "U1003", fmt.Sprintf("%04d", i))
			var e *api.Error
			require.ErrorAs(t, err, &e)
			limited = e.Code == api.CodeTooManyAttempts
		}
	}
	assert.True(t, limited, "the address's limit stops guesses spread over devices")
}

// A stale lead session does not stop the device's own calls.
func TestStaleLeadSessionLeavesDeviceCallsAlone(t *testing.T) {
	f := newFixture(t, demoSite(t))
	stale := f.client.WithLeadSession("expired-or-unknown")
	_, err := stale.Orders(ctx(t))
	require.NoError(t, err)
	_, err = stale.CountKPIs(ctx(t), "")
	requireAPIError(t, err, http.StatusUnauthorized, api.CodeLeadSessionRequired)
}
