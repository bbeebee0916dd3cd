package hub_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// siteB is the demo site as a second site of the same company: the same
// users, badges and PINs, its own keys and SSCC extension digit, and its
// orders numbered SB-… instead of SO-….
func siteB(t testing.TB) domain.Site {
	s := demoSite(t)
	s.Name = "Site B"
	s.EnrollKey = "site-b-enroll-key"
	s.APIKey = "site-b-api-key-not-secret"
	s.SSCCExtension = "2"
	for i := range s.Orders {
		s.Orders[i].ID = "SB-" + strings.TrimPrefix(s.Orders[i].ID, "SO-")
	}
	for i := range s.RMAs {
		s.RMAs[i].OrderID = "SB-" + strings.TrimPrefix(s.RMAs[i].OrderID, "SO-")
	}
	return s
}

// twoSites is a hub with the demo site as its default site (A) and siteB
// added as site "B", a device enrolled at each, and each site's admin.
type twoSites struct {
	*hubtest.Hub
	b              domain.Site
	tokenB         string // gun-b's
	devA, devB     *api.Client
	adminA, adminB *api.Client
	lastToken      string // of the device enrol enrolled last
}

func startTwoSites(t *testing.T) *twoSites {
	t.Helper()
	h := hubtest.Start(t, demoSite(t))
	s := &twoSites{Hub: h, b: siteB(t)}
	require.NoError(t, h.Store.AddSite(ctx(t), "B", s.b))
	s.devA = s.enrol(t, h.Site.EnrollKey, "gun-a")
	s.devB = s.enrol(t, s.b.EnrollKey, "gun-b")
	s.tokenB = s.lastToken
	s.adminA, s.adminB = h.Client().WithToken(h.Site.APIKey), h.Client().WithToken(s.b.APIKey)
	return s
}

// enrol enrols device with an enrol key, as a terminal does, and returns
// its client.
func (s *twoSites) enrol(t *testing.T, key, device string) *api.Client {
	t.Helper()
	reg, err := s.Client().Register(ctx(t), api.RegisterRequest{DeviceID: device, EnrollKey: key})
	require.NoError(t, err)
	s.lastToken = reg.Token
	return s.Client().WithToken(reg.Token)
}

// leadAt opens a lead session of the demo lead (badge U1003, PIN 4242)
// through a device's client.
func leadAt(t *testing.T, dev *api.Client) (*api.Client, string) {
	t.Helper()
	ls, err := dev.LeadLogin(ctx(t), "U1003", "4242")
	require.NoError(t, err)
	return dev.WithLeadSession(ls.Token), ls.Token
}

func orderIDs(t *testing.T, c *api.Client) []string {
	t.Helper()
	orders, err := c.Orders(ctx(t))
	require.NoError(t, err)
	var ids []string
	for _, o := range orders {
		ids = append(ids, o.ID)
	}
	return ids
}

// TestTwoSitesInOneDatabase: a device of site A sees none of site B's
// work, and its events for B's tasks are rejected; each site's keys, lead
// sessions, change feed, counts and SSCC blocks are its own.
func TestTwoSitesInOneDatabase(t *testing.T) {
	s := startTwoSites(t)
	c := ctx(t)

	sites, err := s.Store.Sites(c)
	require.NoError(t, err)
	require.Len(t, sites, 2)
	assert.Equal(t, hub.SiteInfo{ID: "B", Name: "Site B", GS1CompanyPrefix: "0614141", SSCCExtension: "2", AddedAt: sites[0].AddedAt}, sites[0])
	assert.Equal(t, hub.DefaultSite, sites[1].ID)

	t.Run("orders and tasks", func(t *testing.T) {
		a, b := orderIDs(t, s.devA), orderIDs(t, s.devB)
		require.Len(t, a, len(s.Site.Orders))
		require.Len(t, b, len(s.b.Orders))
		for _, id := range a {
			assert.True(t, strings.HasPrefix(id, "SO-"), id)
		}
		for _, id := range b {
			assert.True(t, strings.HasPrefix(id, "SB-"), id)
		}
		_, err := s.devA.Order(c, "SB-10001")
		requireAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
		_, err = s.devA.Task(c, "T-SB-10001")
		requireAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
		_, err = s.adminA.Order(c, "SB-10001")
		requireAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
		tasks, err := s.devA.Tasks(c)
		require.NoError(t, err)
		for _, tk := range tasks {
			assert.False(t, strings.HasPrefix(tk.OrderID, "SB-"), tk.ID)
		}
	})

	t.Run("events for B's tasks are rejected at A", func(t *testing.T) {
		claim, err := s.devB.ClaimTask(c, ana) // the same user id at both sites
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(claim.Task.ID, "T-SB-"), claim.Task.ID)
		l := claim.Task.Lines[0]
		evs := []domain.Event{
			sealed(t, "gun-a", 1, "a-start", domain.EventTaskStarted, ana, domain.TaskStarted{TaskID: claim.Task.ID, Tote: "T00001"}),
			sealed(t, "gun-a", 2, "a-pick", domain.EventLinePicked, ana, domain.PickLine{TaskID: claim.Task.ID, Line: l.Line, SKU: l.SKU, Location: l.Location, Picked: 1}),
		}
		res, err := s.devA.SendEvents(c, api.IngestRequest{DeviceID: "gun-a", Events: evs})
		require.NoError(t, err)
		for _, r := range res.Results {
			assert.Equal(t, api.StatusRejected, r.Status, r.ID)
			assert.Equal(t, api.CodeNotFound, r.Code, r.Message)
		}
		tk, err := s.devB.Task(c, claim.Task.ID)
		require.NoError(t, err)
		assert.Equal(t, 0, tk.Lines[0].Picked, "nothing of A's events reached B's task")
		assert.Equal(t, domain.TaskClaimed, tk.Status)

		// B's device, same event ids and sequence numbers: its own and applied.
		evs[0] = sealed(t, "gun-b", 1, "a-start", domain.EventTaskStarted, ana, domain.TaskStarted{TaskID: claim.Task.ID, Tote: "T00001"})
		res, err = s.devB.SendEvents(c, api.IngestRequest{DeviceID: "gun-b", Events: evs[:1]})
		require.NoError(t, err)
		assert.Equal(t, api.StatusApplied, res.Results[0].Status, res.Results[0].Message)
	})

	t.Run("enrolment and API keys", func(t *testing.T) {
		twin := s.enrol(t, s.b.EnrollKey, "gun-a") // A's device id, enrolled at B: another device
		assert.Equal(t, orderIDs(t, s.devB), orderIDs(t, twin))
		_, err := s.Client().Register(c, api.RegisterRequest{DeviceID: "gun-x", EnrollKey: "no-site-has-this-key"})
		requireAPIError(t, err, http.StatusUnauthorized, api.CodeUnauthorized)
		_, err = s.adminA.CancelOrder(c, "SB-10002", "not A's")
		requireAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
		require.NoError(t, s.adminB.RevokeDevice(c, "gun-a"), "B's gun-a")
		assert.NotEmpty(t, orderIDs(t, s.devA), "A's gun-a is still enrolled")
		err = s.adminB.RevokeDevice(c, "gun-a")
		requireAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
		_, err = twin.Orders(c)
		requireAPIError(t, err, http.StatusUnauthorized, api.CodeDeviceNotEnrolled)
	})

	t.Run("change feeds", func(t *testing.T) {
		_, err := s.adminB.CancelOrder(c, "SB-10002", "customer called")
		require.NoError(t, err)
		fb, err := s.devB.Changes(c, 0, 100)
		require.NoError(t, err)
		require.Len(t, fb.Changes, 1)
		assert.Equal(t, "SB-10002", fb.Changes[0].OrderID)
		assert.Equal(t, uint64(1), fb.Changes[0].Seq)
		fa, err := s.devA.Changes(c, 0, 100)
		require.NoError(t, err)
		assert.Empty(t, fa.Changes)
		o, err := s.devA.Order(c, "SO-10002")
		require.NoError(t, err)
		assert.Equal(t, domain.OrderOpen, o.Status)
	})

	t.Run("counts and lead sessions", func(t *testing.T) {
		leadB, _ := leadAt(t, s.devB)
		leadA, tokenA := leadAt(t, s.devA)
		adj := pendingAdjustment(t, s, leadB)
		_, err := leadA.DecideAdjustment(c, adj.ID, api.DecisionRequest{UserID: lead, Approve: true})
		requireAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
		_, err = s.devB.WithLeadSession(tokenA).DecideAdjustment(c, adj.ID, api.DecisionRequest{UserID: lead, Approve: true})
		requireAPIError(t, err, http.StatusUnauthorized, api.CodeLeadSessionRequired)
		adjsA, err := leadA.Adjustments(c, lead, "")
		require.NoError(t, err)
		assert.Empty(t, adjsA)
		countsA, err := s.devA.CountTasks(c)
		require.NoError(t, err)
		assert.Empty(t, countsA)
		kpiA, err := leadA.CountKPIs(c, lead)
		require.NoError(t, err)
		assert.Zero(t, kpiA.Counts)
		got, err := leadB.DecideAdjustment(c, adj.ID, api.DecisionRequest{UserID: lead, Approve: true})
		require.NoError(t, err)
		assert.Equal(t, api.AdjustApplied, got.Status)
	})

	t.Run("SSCC blocks", func(t *testing.T) {
		ba, err := s.devA.ReserveSSCCs(c, 10)
		require.NoError(t, err)
		bb, err := s.devB.ReserveSSCCs(c, 10)
		require.NoError(t, err)
		assert.Equal(t, api.SSCCBlock{Extension: "1", CompanyPrefix: "0614141", First: 1, Count: 10}, ba)
		assert.Equal(t, api.SSCCBlock{Extension: "2", CompanyPrefix: "0614141", First: 1, Count: 10}, bb)
		listA, err := s.devA.SSCCBlocks(c)
		require.NoError(t, err)
		require.Len(t, listA, 1)
		assert.Equal(t, "gun-a", listA[0].DeviceID)
	})

	t.Run("each site's indexes follow its records", func(t *testing.T) {
		require.NoError(t, s.Store.CheckIndexes(c))
		require.NoError(t, s.Store.CheckIndexes(hub.WithSite(c, "B")))
	})

	t.Run("all of it survives a restart", func(t *testing.T) {
		s.Restart()
		devB := s.Client().WithToken(s.tokenB)
		assert.Equal(t, "SB-10001", orderIDs(t, devB)[0])
	})
}

// pendingAdjustment counts A-01-01 at site B ten HX-4411 short twice, by
// two users, and returns the adjustment waiting for a lead.
func pendingAdjustment(t *testing.T, s *twoSites, leadB *api.Client) api.Adjustment {
	t.Helper()
	c := ctx(t)
	created, err := leadB.CreateCounts(c, api.CreateCountsRequest{UserID: lead, By: domain.CountByLocations, Locations: []string{"A-01-01"}})
	require.NoError(t, err)
	found := systemQty(t, s.b, "A-01-01", "HX-4411") - 10
	seq := uint64(1) // gun-b sent seq 1 above
	for _, user := range []string{ana, tom} {
		claim, err := s.devB.ClaimCount(c, user)
		require.NoError(t, err)
		seq++
		p := domain.CountSubmitted{TaskID: claim.Task.ID, Location: "A-01-01", Lines: []domain.CountLine{{SKU: "HX-4411", Qty: found}}}
		res, err := s.devB.SendEvents(c, api.IngestRequest{DeviceID: "gun-b", Events: []domain.Event{
			sealed(t, "gun-b", seq, "count-"+user, domain.EventCountSubmitted, user, p)}})
		require.NoError(t, err)
		require.Equal(t, api.StatusApplied, res.Results[0].Status, res.Results[0].Message)
	}
	adjs, err := leadB.Adjustments(c, lead, api.AdjustPending)
	require.NoError(t, err)
	require.Len(t, adjs, 1)
	require.NotEmpty(t, created.Tasks)
	return adjs[0]
}

// TestAddSiteRefusals: a site needs the default site first, an id of its
// own, keys no other site has, and SSCCs no other site can make.
func TestAddSiteRefusals(t *testing.T) {
	c := ctx(t)
	h := hubtest.Start(t, demoSite(t))
	add := func(id string, edit func(*domain.Site)) error {
		s := siteB(t)
		if edit != nil {
			edit(&s)
		}
		return h.Store.AddSite(c, id, s)
	}
	requireAPIError(t, add(hub.DefaultSite, nil), http.StatusBadRequest, api.CodeBadRequest)
	requireAPIError(t, add("../x", nil), http.StatusBadRequest, api.CodeBadRequest)
	requireAPIError(t, add("B", func(s *domain.Site) { s.EnrollKey = "demo-enroll-key" }), http.StatusConflict, api.CodeConflict)
	requireAPIError(t, add("B", func(s *domain.Site) { s.APIKey = "demo-api-key-not-secret" }), http.StatusConflict, api.CodeConflict)
	requireAPIError(t, add("B", func(s *domain.Site) { s.EnrollKey = "demo-api-key-not-secret" }), http.StatusConflict, api.CodeConflict)
	requireAPIError(t, add("B", func(s *domain.Site) { s.SSCCExtension = "1" }), http.StatusConflict, api.CodeConflict)
	requireAPIError(t, add("B", func(s *domain.Site) { s.SSCCExtension, s.GS1CompanyPrefix = "1", "06141415" }), http.StatusConflict, api.CodeConflict)
	require.NoError(t, add("B", func(s *domain.Site) { s.SSCCExtension, s.GS1CompanyPrefix = "1", "0614142" }))
	requireAPIError(t, add("B", func(s *domain.Site) { s.EnrollKey, s.APIKey = "another-b-key", "" }), http.StatusConflict, api.CodeConflict)
	sites, err := h.Store.Sites(c)
	require.NoError(t, err)
	require.Len(t, sites, 2, "nothing of a refused site was written")

	empty := hubtest.NewStore(t)
	requireAPIError(t, empty.AddSite(c, "B", siteB(t)), http.StatusConflict, api.CodeConflict)
}
