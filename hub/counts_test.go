package hub_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	lead = "u1003"
	ana  = "u1001"
	tom  = "u1002"
)

var countAt = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

// systemQty is the demo site's seeded quantity of sku at loc.
func systemQty(t testing.TB, site domain.Site, loc, sku string) int {
	t.Helper()
	for _, q := range site.Quantities {
		if q.Location == loc && q.SKU == sku {
			return q.Qty
		}
	}
	t.Fatalf("no seeded quantity of %s at %s", sku, loc)
	return 0
}

func (f *fixture) createCounts(req api.CreateCountsRequest) domain.CountTask {
	f.t.Helper()
	out, err := f.store.CreateCounts(f.t.Context(), testDevice, req, countAt)
	require.NoError(f.t, err)
	require.Len(f.t, out.Tasks, 1)
	return out.Tasks[0]
}

func (f *fixture) claimCount(user string) api.CountClaimResponse {
	f.t.Helper()
	c, err := f.store.ClaimCount(f.t.Context(), user)
	require.NoError(f.t, err)
	return c
}

// count sends one location's count and returns the hub's answer.
func (f *fixture) count(id, user, task, loc string, lines ...domain.CountLine) api.EventResult {
	f.t.Helper()
	p := domain.CountSubmitted{TaskID: task, Location: loc, Lines: lines, Empty: len(lines) == 0}
	return f.send(f.ev(id, domain.EventCountSubmitted, user, p))[0]
}

func (f *fixture) auditKinds(loc string) []string {
	f.t.Helper()
	trail, err := f.store.Audit(f.t.Context(), lead, hub.AuditFilter{Location: loc})
	require.NoError(f.t, err)
	var kinds []string
	for _, e := range trail {
		kinds = append(kinds, e.Kind)
	}
	return kinds
}

func TestCountRolesAreEnforcedByTheHub(t *testing.T) {
	f := newFixture(t, demoSite(t))
	req := api.CreateCountsRequest{UserID: ana, By: domain.CountByLocations, Locations: []string{"A-01-01"}}
	_, err := f.store.CreateCounts(t.Context(), testDevice, req, countAt)
	requireAPIError(t, err, http.StatusForbidden, api.CodeForbidden)
	req.UserID = "ghost"
	_, err = f.store.CreateCounts(t.Context(), testDevice, req, countAt)
	requireAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
	_, err = f.store.Audit(t.Context(), ana, hub.AuditFilter{})
	requireAPIError(t, err, http.StatusForbidden, api.CodeForbidden)
	_, err = f.store.CountKPIs(t.Context(), tom)
	requireAPIError(t, err, http.StatusForbidden, api.CodeForbidden)
	_, err = f.store.Adjustments(t.Context(), ana, "")
	requireAPIError(t, err, http.StatusForbidden, api.CodeForbidden)
	_, err = f.store.SetItemClass(t.Context(), api.ClassRequest{UserID: ana, SKU: "HX-4411", Class: domain.ClassA}, countAt)
	requireAPIError(t, err, http.StatusForbidden, api.CodeForbidden)
	_, err = f.store.DecideAdjustment(t.Context(), testDevice, "ADJ-000001", api.DecisionRequest{UserID: tom, Approve: true}, countAt)
	requireAPIError(t, err, http.StatusForbidden, api.CodeForbidden)
}

func TestCreateCountsBy(t *testing.T) {
	site := demoSite(t)
	f := newFixture(t, site)
	cases := []struct {
		req  api.CreateCountsRequest
		want []string
		code string
	}{
		{req: api.CreateCountsRequest{By: domain.CountByLocations, Locations: []string{"B-01-01", "A-01-01"}}, want: []string{"A-01-01", "B-01-01"}},
		{req: api.CreateCountsRequest{By: domain.CountByLocations, Locations: []string{"Z-99-99"}}, code: api.CodeNotFound},
		{req: api.CreateCountsRequest{By: domain.CountByZone, Zone: "FRZ"}, want: []string{"FRZ-01-01", "FRZ-01-02", "FRZ-01-03", "FRZ-01-04", "FRZ-02-04", "FRZ-02-03", "FRZ-02-02", "FRZ-02-01"}}, // walk order,
		{req: api.CreateCountsRequest{By: domain.CountByZone, Zone: "Q"}, code: api.CodeNothingDue},
		{req: api.CreateCountsRequest{By: domain.CountByItem, SKU: "HX-4411"}, want: []string{"A-01-01", "A-01-02"}},
		{req: api.CreateCountsRequest{By: domain.CountByItem, SKU: "NOPE"}, code: api.CodeNotFound},
		{req: api.CreateCountsRequest{By: domain.CountByABC, Class: "D"}, code: api.CodeBadRequest},
		{req: api.CreateCountsRequest{By: "shelf"}, code: api.CodeBadRequest},
	}
	for _, tc := range cases {
		tc.req.UserID = lead
		out, err := f.store.CreateCounts(t.Context(), testDevice, tc.req, countAt)
		if tc.code != "" {
			e := hub.APIError(err)
			require.NotNil(t, e, "%+v", tc.req)
			assert.Equal(t, tc.code, e.Code, "%+v", tc.req)
			continue
		}
		require.NoError(t, err, "%+v", tc.req)
		assert.Equal(t, tc.want, out.Tasks[0].Locations, "%+v", tc.req)
		assert.Equal(t, domain.TaskOpen, out.Tasks[0].Status)
		assert.Equal(t, lead, out.Tasks[0].CreatedBy)
	}
}

func TestCountMatchesAndIsAppliedOnce(t *testing.T) {
	site := demoSite(t)
	f := newFixture(t, site)
	task := f.createCounts(api.CreateCountsRequest{UserID: lead, By: domain.CountByLocations, Locations: []string{"A-01-01"}})
	_, err := f.store.ClaimCount(t.Context(), "ghost")
	requireAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
	claim := f.claimCount(ana)
	assert.Equal(t, task.ID, claim.Task.ID)
	assert.Equal(t, ana, claim.Task.UserID)
	assert.Equal(t, []string{"HX-4411"}, skus(claim.Items))
	require.Len(t, claim.Locations, 1)
	_, err = f.store.ClaimCount(t.Context(), tom)
	requireAPIError(t, err, http.StatusNotFound, api.CodeNoTask)

	n := systemQty(t, site, "A-01-01", "HX-4411")
	p := domain.CountSubmitted{TaskID: task.ID, Location: "A-01-01", Lines: []domain.CountLine{{SKU: "HX-4411", Qty: n}}}
	ev := f.ev("k1", domain.EventCountSubmitted, ana, p)
	assert.Equal(t, api.StatusApplied, f.send(ev)[0].Status)
	assert.Equal(t, api.StatusDuplicate, f.send(ev)[0].Status, "a resent count is not counted twice")
	kpi, err := f.store.CountKPIs(t.Context(), lead)
	require.NoError(t, err)
	assert.Equal(t, 1, kpi.Counts)
	assert.Equal(t, 1, kpi.Matched)
	assert.InDelta(t, 100.0, kpi.Accuracy, 0.001)
	done, err := f.store.CountTask(t.Context(), task.ID)
	require.NoError(t, err)
	assert.Equal(t, domain.TaskDone, done.Status)
	assert.Equal(t, []string{"count"}, f.auditKinds("A-01-01"))
	adjs, err := f.store.Adjustments(t.Context(), lead, "")
	require.NoError(t, err)
	assert.Empty(t, adjs)
}

func skus(items []domain.Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.SKU)
	}
	return out
}

func TestCountRefusals(t *testing.T) {
	site := demoSite(t)
	f := newFixture(t, site)
	task := f.createCounts(api.CreateCountsRequest{UserID: lead, By: domain.CountByLocations, Locations: []string{"A-01-01", "A-01-03"}})
	f.claimCount(ana)
	send := func(id, user string, p domain.CountSubmitted) api.EventResult {
		return f.send(f.ev(id, domain.EventCountSubmitted, user, p))[0]
	}
	cases := []struct {
		user string
		p    domain.CountSubmitted
		code string
	}{
		{tom, domain.CountSubmitted{TaskID: task.ID, Location: "A-01-01", Empty: true}, api.CodeTaskNotHeld},
		{ana, domain.CountSubmitted{TaskID: "C-999999", Location: "A-01-01", Empty: true}, api.CodeNotFound},
		{ana, domain.CountSubmitted{TaskID: task.ID, Location: "B-01-01", Empty: true}, api.CodeBadRequest},
		{ana, domain.CountSubmitted{TaskID: task.ID, Location: "A-01-01"}, api.CodeBadRequest},
		{ana, domain.CountSubmitted{TaskID: task.ID, Location: "A-01-01", Empty: true, Lines: []domain.CountLine{{SKU: "HX-4411", Qty: 1}}}, api.CodeBadRequest},
		{ana, domain.CountSubmitted{TaskID: task.ID, Location: "A-01-01", Lines: []domain.CountLine{{SKU: "HX-4411", Qty: 0}}}, api.CodeBadRequest},
		{ana, domain.CountSubmitted{TaskID: task.ID, Location: "A-01-01", Lines: []domain.CountLine{{SKU: "NOPE", Qty: 1}}}, api.CodeUnknownItem},
		{ana, domain.CountSubmitted{TaskID: task.ID, Location: "A-01-01", Unknown: []domain.CountScan{{Code: "X", Qty: -1}}}, api.CodeBadRequest},
	}
	for i, tc := range cases {
		r := send("r"+string(rune('a'+i)), tc.user, tc.p)
		assert.Equal(t, api.StatusRejected, r.Status, "case %d", i)
		assert.Equal(t, tc.code, r.Code, "case %d: %s", i, r.Message)
	}
	// A barcode the device did not know but the hub does counts as its item;
	// one nobody knows is kept for review.
	n := systemQty(t, site, "A-01-01", "HX-4411")
	r := send("ok", ana, domain.CountSubmitted{TaskID: task.ID, Location: "A-01-01",
		Unknown: []domain.CountScan{{Code: "5401230041002", Qty: n}, {Code: "MYSTERY", Qty: 2}}})
	require.Equal(t, api.StatusApplied, r.Status, r.Message)
	r = send("again", ana, domain.CountSubmitted{TaskID: task.ID, Location: "A-01-01", Empty: true})
	assert.Equal(t, api.CodeAlreadyCounted, r.Code)
	kpi, err := f.store.CountKPIs(t.Context(), lead)
	require.NoError(t, err)
	assert.Equal(t, 1, kpi.Matched, "the GTIN was counted as HX-4411")
	assert.Equal(t, 2, kpi.Unknown)
	trail, err := f.store.Audit(t.Context(), lead, hub.AuditFilter{Location: "A-01-01"})
	require.NoError(t, err)
	require.Len(t, trail, 1)
	assert.Contains(t, trail[0].Detail, "unknown barcode MYSTERY x2 for review")
}

func TestVarianceThreshold(t *testing.T) {
	// Policy: beyond = more than 2 units AND more than 5 percent AND more than 20.00.
	cases := []struct {
		name    string
		loc     string
		sku     string
		delta   int
		recount bool
		status  string // of the adjustment when there is no recount
	}{
		{"one unit short of a cheap item: adjusted at once", "A-04-04", "MK-0100", -1, false, api.AdjustApplied},
		{"many units but little value", "A-04-04", "MK-0100", -10, false, api.AdjustApplied},
		{"dear but only two units", "B-01-01", "DR-5520", 2, false, api.AdjustPending},
		{"beyond all three", "A-01-01", "HX-4411", -5, true, ""},
		{"found stock beyond all three", "A-01-01", "HX-4411", 5, true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			site := demoSite(t)
			f := newFixture(t, site)
			task := f.createCounts(api.CreateCountsRequest{UserID: lead, By: domain.CountByLocations, Locations: []string{tc.loc}})
			f.claimCount(ana)
			n := systemQty(t, site, tc.loc, tc.sku) + tc.delta
			require.Equal(t, api.StatusApplied, f.count("c1", ana, task.ID, tc.loc, domain.CountLine{SKU: tc.sku, Qty: n}).Status)
			tasks, err := f.store.CountTasks(t.Context())
			require.NoError(t, err)
			adjs, err := f.store.Adjustments(t.Context(), lead, "")
			require.NoError(t, err)
			if tc.recount {
				require.Len(t, tasks, 2)
				assert.Equal(t, domain.CountByRecount, tasks[1].By)
				assert.Equal(t, []string{ana}, tasks[1].NotUsers)
				assert.Empty(t, adjs)
				return
			}
			require.Len(t, tasks, 1)
			require.Len(t, adjs, 1)
			assert.Equal(t, tc.status, adjs[0].Status)
			assert.Equal(t, tc.delta, adjs[0].Lines[0].Delta)
		})
	}
}

func TestRecountByAnotherUserThenApproval(t *testing.T) {
	site := demoSite(t)
	f := newFixture(t, site)
	task := f.createCounts(api.CreateCountsRequest{UserID: lead, By: domain.CountByItem, SKU: "HX-4411"})
	f.claimCount(ana)
	sys := systemQty(t, site, "A-01-01", "HX-4411")
	found := sys - 10 // 10 x 12.49 = 124.90, over the 100.00 approval limit
	f.count("a1", ana, task.ID, "A-01-01", domain.CountLine{SKU: "HX-4411", Qty: found})
	f.count("a2", ana, task.ID, "A-01-02", domain.CountLine{SKU: "HX-4411", Qty: systemQty(t, site, "A-01-02", "HX-4411")})
	_, err := f.store.ClaimCount(t.Context(), ana)
	requireAPIError(t, err, http.StatusNotFound, api.CodeNoTask) // the recount is not for the first counter

	recount := f.claimCount(tom)
	assert.Equal(t, domain.CountByRecount, recount.Task.By)
	assert.Equal(t, task.ID, recount.Task.RecountOf)
	assert.Equal(t, []string{"A-01-01"}, recount.Task.Locations)
	require.Equal(t, api.StatusApplied, f.count("t1", tom, recount.Task.ID, "A-01-01", domain.CountLine{SKU: "HX-4411", Qty: found}).Status)

	pending, err := f.store.Adjustments(t.Context(), lead, api.AdjustPending)
	require.NoError(t, err)
	require.Len(t, pending, 1)
	adj := pending[0]
	assert.Equal(t, "two counts agree", adj.Reason)
	assert.Equal(t, []api.AdjustmentLine{{SKU: "HX-4411", System: sys, Counted: found, Delta: -10, ValueCents: 12490}}, adj.Lines)

	approvedAt := countAt.Add(time.Hour)
	got, err := f.store.DecideAdjustment(t.Context(), "gun-lead", adj.ID, api.DecisionRequest{UserID: lead, Approve: true, Note: "ok"}, approvedAt)
	require.NoError(t, err)
	assert.Equal(t, api.AdjustApplied, got.Status)
	assert.Equal(t, lead, got.DecidedBy)
	_, err = f.store.DecideAdjustment(t.Context(), "gun-lead", adj.ID, api.DecisionRequest{UserID: lead, Approve: false}, approvedAt)
	requireAPIError(t, err, http.StatusConflict, api.CodeNotPending)
	_, err = f.store.DecideAdjustment(t.Context(), "gun-lead", "ADJ-999999", api.DecisionRequest{UserID: lead, Approve: true}, approvedAt)
	requireAPIError(t, err, http.StatusNotFound, api.CodeNotFound)

	assert.Equal(t, []string{"count", "recount_created", "recount", "adjustment_proposed", "approved", "adjustment_applied"}, f.auditKinds("A-01-01"))
	trail, err := f.store.Audit(t.Context(), lead, hub.AuditFilter{Location: "A-01-01"})
	require.NoError(t, err)
	first, applied := trail[0], trail[5]
	assert.Equal(t, ana, first.UserID)
	assert.Equal(t, testDevice, first.DeviceID)
	assert.Equal(t, []api.AuditLine{{SKU: "HX-4411", Before: sys, After: found}}, first.Lines)
	assert.Equal(t, tom, trail[2].UserID)
	assert.Equal(t, lead, applied.UserID)
	assert.Equal(t, "gun-lead", applied.DeviceID)
	assert.Equal(t, approvedAt, applied.At)
	assert.Equal(t, []api.AuditLine{{SKU: "HX-4411", Before: sys, After: found}}, applied.Lines)

	// The stock now holds what was counted: a new count that finds it matches.
	again := f.createCounts(api.CreateCountsRequest{UserID: lead, By: domain.CountByLocations, Locations: []string{"A-01-01"}})
	f.claimCount(ana)
	f.count("a3", ana, again.ID, "A-01-01", domain.CountLine{SKU: "HX-4411", Qty: found})

	kpi, err := f.store.CountKPIs(t.Context(), lead)
	require.NoError(t, err)
	assert.Equal(t, 3, kpi.Counts)
	assert.Equal(t, 2, kpi.Matched)
	assert.Equal(t, 1, kpi.Recounts)
	assert.InDelta(t, 66.67, kpi.Accuracy, 0.01)
	assert.Equal(t, api.Variance{Key: "A-01-01", Counts: 2, Units: 10, NetUnits: -10, ValueCents: 12490}, kpi.ByLocation[0])
	assert.Equal(t, api.Variance{Key: "HX-4411", Counts: 3, Units: 10, NetUnits: -10, ValueCents: 12490}, kpi.ByItem[0])
	require.Len(t, kpi.PerHour, 1)
	assert.Equal(t, 4, kpi.PerHour[0].Counts)
	assert.InDelta(t, 4.0, kpi.CountsPerHour, 0.001)
}

func TestCountsThatNeverAgreeEndWithALead(t *testing.T) {
	f, sys := firstCountTenShort(t)
	r1 := f.claimCount(tom)
	f.count("t1", tom, r1.Task.ID, "A-01-01", domain.CountLine{SKU: "HX-4411", Qty: sys + 10})
	r2 := f.claimCount(lead) // the third count needs a third person
	assert.ElementsMatch(t, []string{ana, tom}, r2.Task.NotUsers)
	f.count("l1", lead, r2.Task.ID, "A-01-01") // confirmed empty
	adjs, err := f.store.Adjustments(t.Context(), lead, "")
	require.NoError(t, err)
	require.Len(t, adjs, 1)
	assert.Equal(t, api.AdjustPending, adjs[0].Status)
	assert.Contains(t, adjs[0].Reason, "3 counts disagree")
	rejected, err := f.store.DecideAdjustment(t.Context(), testDevice, adjs[0].ID, api.DecisionRequest{UserID: lead, Approve: false, Note: "count again next week"}, countAt)
	require.NoError(t, err)
	assert.Equal(t, api.AdjustRejected, rejected.Status)
	kinds := f.auditKinds("A-01-01")
	assert.Equal(t, "rejected", kinds[len(kinds)-1])
}

func TestRecountThatMatchesTheSystemEndsTheCycle(t *testing.T) {
	f, sys := firstCountTenShort(t)
	r := f.claimCount(tom)
	f.count("t1", tom, r.Task.ID, "A-01-01", domain.CountLine{SKU: "HX-4411", Qty: sys})
	adjs, err := f.store.Adjustments(t.Context(), lead, "")
	require.NoError(t, err)
	assert.Empty(t, adjs)
	tasks, err := f.store.CountTasks(t.Context())
	require.NoError(t, err)
	assert.Len(t, tasks, 2)
}

func TestABCClassesAndDueCounts(t *testing.T) {
	site := demoSite(t)
	f := newFixture(t, site)
	// Picks make velocity: pick one whole line of the first task.
	claim := f.claim(ana)
	line := claim.Task.Lines[0]
	f.send(
		f.ev("p1", domain.EventTaskStarted, ana, domain.TaskStarted{TaskID: claim.Task.ID, Tote: "T00001"}),
		f.ev("p2", domain.EventLinePicked, ana, domain.PickLine{TaskID: claim.Task.ID, Line: line.Line, SKU: line.SKU, Location: line.Location, Tote: "T00001", Picked: line.Qty}),
	)
	day := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	classes, err := f.store.ItemClasses(t.Context(), day)
	require.NoError(t, err)
	byS := map[string]api.ItemClass{}
	for _, c := range classes {
		byS[c.SKU] = c
	}
	assert.Equal(t, api.ItemClass{SKU: line.SKU, Class: domain.ClassA, Picked: line.Qty}, byS[line.SKU])
	assert.Equal(t, domain.ClassC, byS["ST-0770"].Class)
	set, err := f.store.SetItemClass(t.Context(), api.ClassRequest{UserID: lead, SKU: "ST-0770", Class: domain.ClassA}, day)
	require.NoError(t, err)
	assert.Equal(t, api.ItemClass{SKU: "ST-0770", Class: domain.ClassA, Manual: true}, set)
	_, err = f.store.SetItemClass(t.Context(), api.ClassRequest{UserID: lead, SKU: "ST-0770", Class: "Z"}, day)
	requireAPIError(t, err, http.StatusBadRequest, api.CodeBadRequest)

	// Every class-A location is due; once counted, it is not due for DaysA.
	out, err := f.store.CreateCounts(t.Context(), testDevice, api.CreateCountsRequest{UserID: lead, By: domain.CountByABC, Class: domain.ClassA}, day)
	require.NoError(t, err)
	task := out.Tasks[0]
	assert.ElementsMatch(t, []string{line.Location, "C-03-04"}, task.Locations)
	_, err = f.store.CreateCounts(t.Context(), testDevice, api.CreateCountsRequest{UserID: lead, By: domain.CountByABC, Class: domain.ClassA}, day)
	requireAPIError(t, err, http.StatusNotFound, api.CodeNothingDue) // the waiting task holds them
	f.claimCount(tom)
	for i, loc := range task.Locations {
		sku := line.SKU
		if loc == "C-03-04" {
			sku = "ST-0770"
		}
		want := systemQty(t, site, loc, sku)
		if sku == line.SKU {
			want -= line.Qty // the pick took them out of the system quantity
		}
		f.count("c"+string(rune('0'+i)), tom, task.ID, loc, domain.CountLine{SKU: sku, Qty: want})
	}
	kpi, err := f.store.CountKPIs(t.Context(), lead)
	require.NoError(t, err)
	assert.Equal(t, kpi.Counts, kpi.Matched, "picks came out of the system quantity")
	_, err = f.store.CreateCounts(t.Context(), testDevice, api.CreateCountsRequest{UserID: lead, By: domain.CountByABC, Class: domain.ClassA}, day.AddDate(0, 0, 1))
	requireAPIError(t, err, http.StatusNotFound, api.CodeNothingDue)
	out, err = f.store.CreateCounts(t.Context(), testDevice, api.CreateCountsRequest{UserID: lead, By: domain.CountByABC, Class: domain.ClassA}, day.AddDate(0, 0, 31))
	require.NoError(t, err)
	assert.Len(t, out.Tasks[0].Locations, 2)
}

// firstCountTenShort is a hub where Ana counted A-01-01 ten HX-4411 short:
// beyond the threshold, so a recount waits. sys is the system quantity.
func firstCountTenShort(t *testing.T) (*fixture, int) {
	site := demoSite(t)
	f := newFixture(t, site)
	sys := systemQty(t, site, "A-01-01", "HX-4411")
	task := f.createCounts(api.CreateCountsRequest{UserID: lead, By: domain.CountByLocations, Locations: []string{"A-01-01"}})
	f.claimCount(ana)
	f.count("a1", ana, task.ID, "A-01-01", domain.CountLine{SKU: "HX-4411", Qty: sys - 10})
	return f, sys
}
